-- Articles whose signature is missing, stale (body changed) or of another algorithm, oldest id first.
SELECT a.id, a.body, a.published_at, a.word_count, a.content_hash
FROM articles AS a
LEFT JOIN article_signatures AS s ON s.article_id = a.id
WHERE (s.article_id IS NULL OR s.content_hash <> a.content_hash OR s.algorithm <> %(algorithm)s)
  AND (%(since)s::timestamptz IS NULL OR a.published_at >= %(since)s::timestamptz)
  AND a.id > %(after_id)s
ORDER BY a.id
LIMIT %(limit)s;
