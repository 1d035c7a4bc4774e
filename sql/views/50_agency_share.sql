CREATE OR REPLACE VIEW agency_share AS
WITH story_outlets AS (
    SELECT DISTINCT date_trunc('month', a.published_at AT TIME ZONE 'UTC')::date AS month, a.source, a.story_id
    FROM articles AS a
    WHERE a.published_at IS NOT NULL AND a.story_id IS NOT NULL
),
totals AS (
    SELECT month, source, count(*) AS stories FROM story_outlets GROUP BY 1, 2
)
SELECT o.month,
       o.source,
       coalesce(agency, '(none)') AS agency,
       count(*) AS stories,
       round(count(*)::numeric / t.stories, 4) AS share
FROM story_outlets AS o
JOIN totals AS t USING (month, source)
JOIN stories AS s ON s.id = o.story_id
LEFT JOIN LATERAL unnest(CASE WHEN cardinality(s.agencies) = 0 THEN ARRAY[NULL::text] ELSE s.agencies END) AS agency ON true
GROUP BY o.month, o.source, agency, t.stories;
COMMENT ON VIEW agency_share IS 'What share of each outlet''s stories in a month carry each agency (a story credited to two agencies counts for both).';
COMMENT ON COLUMN agency_share.month IS 'First day of the UTC month.';
COMMENT ON COLUMN agency_share.source IS 'Outlet.';
COMMENT ON COLUMN agency_share.agency IS 'Agency credited by the story, or (none).';
COMMENT ON COLUMN agency_share.stories IS 'The outlet''s stories that month crediting it.';
COMMENT ON COLUMN agency_share.share IS 'Those stories over all the outlet''s stories that month (0 to 1).';
