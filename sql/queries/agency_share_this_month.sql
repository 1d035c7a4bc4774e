-- Agency share per outlet in the latest month: of the stories that began that month, what fraction of each
-- outlet's came from AFP, Reuters, AP... (a story credited to two agencies counts for both).
WITH month AS (
    SELECT date_trunc('month', max(first_seen) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start
    FROM wiredesk.stories
),
outlet_stories AS (
    SELECT outlet AS source, s.agencies
    FROM wiredesk.stories AS s, unnest(s.outlets) AS outlet
    WHERE s.first_seen >= (SELECT start FROM month)
      AND s.first_seen < (SELECT start FROM month) + interval '1 month'
),
totals AS (
    SELECT source, count(*) AS stories FROM outlet_stories GROUP BY source
)
SELECT o.source,
       coalesce(agency, '(none)') AS agency,
       count(*) AS stories,
       round(count(*)::numeric / t.stories, 3) AS share
FROM outlet_stories AS o
JOIN totals AS t USING (source)
LEFT JOIN LATERAL unnest(CASE WHEN cardinality(o.agencies) = 0 THEN ARRAY[NULL::text] ELSE o.agencies END)
    AS agency ON true
GROUP BY o.source, agency, t.stories
ORDER BY o.source, stories DESC, agency;
