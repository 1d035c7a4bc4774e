-- Articles that arrived per outlet per UTC night over the report's span, and how many of them are copies (in a
-- story with other copies).
SELECT (a.created_at AT TIME ZONE 'UTC')::date AS night,
       a.source,
       count(*) AS articles,
       count(*) FILTER (WHERE s.copies > 1) AS copies
FROM articles AS a
LEFT JOIN stories AS s ON s.id = a.story_id
WHERE a.created_at >= %(since)s AND a.created_at < %(until)s
GROUP BY 1, 2
ORDER BY 1, 2;
