-- Build the search document of articles that have none or whose row changed since, a bounded batch at a time.
WITH todo AS (
    SELECT a.id
    FROM articles AS a
    LEFT JOIN article_search AS s ON s.article_id = a.id
    WHERE s.article_id IS NULL OR s.indexed_at < a.updated_at
    ORDER BY a.id
    LIMIT %(limit)s
)
INSERT INTO article_search AS s (article_id, config, document, published_at)
SELECT a.id,
       search_config(a.language),
       setweight(to_tsvector(search_config(a.language), coalesce(a.title, '')), 'A')
           || setweight(to_tsvector(search_config(a.language), a.body), 'B'),
       a.published_at
FROM articles AS a
JOIN todo USING (id)
ON CONFLICT (article_id) DO UPDATE SET
    config = EXCLUDED.config,
    document = EXCLUDED.document,
    published_at = EXCLUDED.published_at,
    indexed_at = now();
