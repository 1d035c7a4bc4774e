-- Every article holding a long sentence of the given articles, one row each: which of those sentences it holds
-- (leaving out sentences so common they are boilerplate), what decides where a sentence originates, its story,
-- and how many long sentences it has in all. Each sentence's holders are looked up once, and counted in the
-- same pass.
WITH wanted AS (
    SELECT DISTINCT hash FROM article_sentences WHERE article_id = ANY(%(ids)s)
),
holders AS MATERIALIZED (
    SELECT h.hash, h.article_id FROM wanted JOIN article_sentences AS h ON h.hash = wanted.hash
),
signal AS (
    SELECT hash FROM holders GROUP BY hash HAVING count(*) <= %(common_sentence_limit)s
),
held AS (
    SELECT holders.hash, holders.article_id FROM holders JOIN signal ON signal.hash = holders.hash
)
SELECT a.id, a.published_at, a.word_count, a.story_id,
       (SELECT count(*) FROM article_sentences AS s WHERE s.article_id = a.id) AS sentences,
       array_agg(held.hash) AS hashes
FROM held
JOIN articles AS a ON a.id = held.article_id
GROUP BY a.id;
