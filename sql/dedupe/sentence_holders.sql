-- Every article holding a long sentence of the given articles, with what decides where a sentence originates
-- and how many long sentences the article has in all.
WITH wanted AS (
    SELECT DISTINCT hash FROM article_sentences WHERE article_id = ANY(%(ids)s)
),
held AS (
    SELECT h.hash, h.article_id
    FROM article_sentences AS h
    WHERE h.hash IN (SELECT hash FROM wanted)
      AND h.hash NOT IN (
          SELECT hash FROM article_sentences
          WHERE hash IN (SELECT hash FROM wanted)
          GROUP BY hash HAVING count(*) > %(common_sentence_limit)s
      )
),
totals AS (
    SELECT s.article_id, count(*) AS sentences
    FROM article_sentences AS s
    WHERE s.article_id IN (SELECT DISTINCT article_id FROM held)
    GROUP BY s.article_id
)
SELECT held.hash, a.id, a.published_at, a.word_count, a.story_id, totals.sentences
FROM held
JOIN articles AS a ON a.id = held.article_id
JOIN totals ON totals.article_id = held.article_id;
