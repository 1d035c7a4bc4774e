-- Candidate copies of the batch among everything stored (the batch included): one join over band keys,
-- long-sentence hashes (leaving out sentences so common they are boilerplate) and identical body hashes.
WITH batch AS (
    SELECT s.article_id, a.content_hash FROM stage_signatures AS s JOIN articles AS a ON a.id = s.article_id
),
common AS (
    SELECT hash FROM article_sentences
    WHERE hash IN (SELECT hash FROM stage_sentences)
    GROUP BY hash HAVING count(*) > %(common_sentence_limit)s
)
SELECT DISTINCT b.article_id AS new_id, o.article_id AS old_id
FROM stage_bands AS b
JOIN article_bands AS o ON o.key = b.key AND o.article_id <> b.article_id
UNION
SELECT s.article_id, o.article_id
FROM stage_sentences AS s
JOIN article_sentences AS o ON o.hash = s.hash AND o.article_id <> s.article_id
WHERE s.hash NOT IN (SELECT hash FROM common)
UNION
SELECT b.article_id, a.id
FROM batch AS b
JOIN articles AS a ON a.content_hash = b.content_hash AND a.id <> b.article_id
JOIN article_signatures AS g ON g.article_id = a.id;
