-- What dedupe needs of stored articles: their signature and story.
SELECT a.id, a.published_at, a.word_count, a.content_hash, a.story_id, g.shingles, g.minhash, g.terms,
       g.sentence_sizes
FROM articles AS a
JOIN article_signatures AS g ON g.article_id = a.id
WHERE a.id = ANY(%(ids)s);
