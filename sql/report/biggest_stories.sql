-- The stories with the most copies among those a copy arrived for over the report's span, with each copy.
WITH arrived AS (
    SELECT DISTINCT a.story_id
    FROM articles AS a
    WHERE a.created_at >= %(since)s AND a.created_at < %(until)s AND a.story_id IS NOT NULL
),
biggest AS (
    SELECT s.id, s.copies, cardinality(s.outlets) AS outlets, s.canonical_article_id
    FROM stories AS s
    JOIN arrived ON arrived.story_id = s.id
    ORDER BY s.copies DESC, cardinality(s.outlets) DESC, s.id
    LIMIT %(limit)s
)
SELECT b.id AS story_id, b.copies, b.outlets, src.name AS outlet, a.title, a.agencies, a.published_at,
       a.id = b.canonical_article_id AS canonical
FROM biggest AS b
JOIN articles AS a ON a.story_id = b.id
JOIN sources AS src ON src.slug = a.source
ORDER BY b.copies DESC, b.outlets DESC, b.id, a.published_at NULLS LAST, a.id;
