-- Every article holding a long sentence of the given articles, with what decides where a sentence originates.
SELECT h.hash, a.id, a.published_at, a.word_count, a.story_id
FROM article_sentences AS h
JOIN articles AS a ON a.id = h.article_id
WHERE h.hash IN (SELECT hash FROM article_sentences WHERE article_id = ANY(%(ids)s))
  AND h.hash NOT IN (
      SELECT hash FROM article_sentences
      WHERE hash IN (SELECT hash FROM article_sentences WHERE article_id = ANY(%(ids)s))
      GROUP BY hash HAVING count(*) > %(common_sentence_limit)s
  );
