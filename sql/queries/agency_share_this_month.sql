-- Agency share per outlet in the latest month with articles: what fraction of each outlet's stories came
-- from AFP, Reuters, AP... (a story credited to two agencies counts for both).
WITH month AS (
    SELECT date_trunc('month', max(published_at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start
    FROM wiredesk.articles
),
outlet_stories AS (
    SELECT DISTINCT a.source, a.story_id
    FROM wiredesk.articles AS a, month
    WHERE a.published_at >= month.start AND a.published_at < month.start + interval '1 month'
      AND a.story_id IS NOT NULL
)
SELECT o.source,
       coalesce(agency, '(none)') AS agency,
       count(*) AS stories,
       round(count(*)::numeric / (SELECT count(*) FROM outlet_stories AS t WHERE t.source = o.source), 3) AS share
FROM outlet_stories AS o
JOIN wiredesk.stories AS s ON s.id = o.story_id
LEFT JOIN LATERAL unnest(CASE WHEN cardinality(s.agencies) = 0 THEN ARRAY[NULL::text] ELSE s.agencies END)
    AS agency ON true
GROUP BY o.source, agency
ORDER BY o.source, stories DESC, agency;
