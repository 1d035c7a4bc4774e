-- Top 20 stories of the latest day in the warehouse, by the number of outlets that ran them.
SELECT (s.first_seen AT TIME ZONE 'UTC')::date AS day,
       s.id AS story_id,
       c.title,
       cardinality(s.outlets) AS outlets,
       s.copies,
       s.agencies
FROM wiredesk.stories AS s
JOIN wiredesk.articles AS c ON c.id = s.canonical_article_id
WHERE s.first_seen >= (SELECT date_trunc('day', max(first_seen) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                       FROM wiredesk.stories)
ORDER BY outlets DESC, s.copies DESC, s.id
LIMIT 20;
