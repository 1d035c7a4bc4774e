-- Candidate copies of the batch among everything stored (the batch included): one join over band keys,
-- long-sentence hashes and sentence keys (leaving out those so common they are boilerplate) and identical body
-- hashes. Each staged sentence's (and key's) holders are looked up once, and counted in the same pass.
WITH batch AS (
    SELECT s.article_id, a.content_hash FROM stage_signatures AS s JOIN articles AS a ON a.id = s.article_id
),
held AS MATERIALIZED (
    SELECT o.hash, o.article_id FROM article_sentences AS o WHERE o.hash IN (SELECT hash FROM stage_sentences)
),
signal AS (
    SELECT hash FROM held GROUP BY hash HAVING count(*) <= %(common_sentence_limit)s
),
keyed AS MATERIALIZED (
    SELECT o.key, o.article_id FROM article_sentence_keys AS o WHERE o.key IN (SELECT key FROM stage_sentence_keys)
),
key_signal AS (
    SELECT key FROM keyed GROUP BY key HAVING count(*) <= %(common_sentence_limit)s
)
SELECT DISTINCT b.article_id AS new_id, o.article_id AS old_id
FROM stage_bands AS b
JOIN article_bands AS o ON o.key = b.key AND o.article_id <> b.article_id
UNION
SELECT s.article_id, h.article_id
FROM stage_sentences AS s
JOIN signal USING (hash)
JOIN held AS h ON h.hash = s.hash AND h.article_id <> s.article_id
UNION
SELECT s.article_id, h.article_id
FROM stage_sentence_keys AS s
JOIN key_signal USING (key)
JOIN keyed AS h ON h.key = s.key AND h.article_id <> s.article_id
UNION
SELECT b.article_id, a.id
FROM batch AS b
JOIN articles AS a ON a.content_hash = b.content_hash AND a.id <> b.article_id
JOIN article_signatures AS g ON g.article_id = a.id;
