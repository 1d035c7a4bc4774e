-- The agency share per outlet and month, precomputed: counting every outlet of every story of a month takes
-- seconds at a million articles, reading this takes milliseconds. Refreshed at the end of every run.
SET search_path = wiredesk;

DROP VIEW IF EXISTS agency_share;

CREATE MATERIALIZED VIEW agency_share AS
WITH story_months AS (
    SELECT date_trunc('month', first_seen AT TIME ZONE 'UTC')::date AS month, outlets, agencies
    FROM stories
    WHERE first_seen IS NOT NULL
),
per_agency AS (
    SELECT m.month, outlet AS source, coalesce(agency, '(none)') AS agency, count(*) AS stories
    FROM story_months AS m,
         unnest(m.outlets) AS outlet,
         unnest(CASE WHEN cardinality(m.agencies) = 0 THEN ARRAY[NULL::text] ELSE m.agencies END) AS agency
    GROUP BY 1, 2, 3
),
totals AS (
    SELECT m.month, outlet AS source, count(*) AS stories
    FROM story_months AS m, unnest(m.outlets) AS outlet
    GROUP BY 1, 2
)
SELECT p.month, p.source, p.agency, p.stories, round(p.stories::numeric / t.stories, 3) AS share
FROM per_agency AS p
JOIN totals AS t USING (month, source);

CREATE UNIQUE INDEX agency_share_month_source_agency_idx ON agency_share (month, source, agency);
COMMENT ON MATERIALIZED VIEW agency_share IS 'What share of each outlet''s stories of a month carry each agency (a story credited to two agencies counts for both); refreshed at the end of every run.';
COMMENT ON COLUMN agency_share.month IS 'First day of the UTC month the stories began in.';
COMMENT ON COLUMN agency_share.source IS 'Outlet.';
COMMENT ON COLUMN agency_share.agency IS 'Agency credited by the story, or (none).';
COMMENT ON COLUMN agency_share.stories IS 'The outlet''s stories of that month crediting it.';
COMMENT ON COLUMN agency_share.share IS 'Those stories over all the outlet''s stories of that month (0 to 1).';
