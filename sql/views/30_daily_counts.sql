CREATE OR REPLACE VIEW daily_source_counts AS
SELECT (published_at AT TIME ZONE 'UTC')::date AS day,
       source,
       count(*) AS articles,
       count(DISTINCT story_id) AS stories
FROM articles
WHERE published_at IS NOT NULL
GROUP BY 1, 2;
COMMENT ON VIEW daily_source_counts IS 'Articles and distinct stories per outlet per UTC day: stories are not inflated by copies.';
COMMENT ON COLUMN daily_source_counts.day IS 'UTC day of publication.';
COMMENT ON COLUMN daily_source_counts.source IS 'Outlet.';
COMMENT ON COLUMN daily_source_counts.articles IS 'Articles it published that day.';
COMMENT ON COLUMN daily_source_counts.stories IS 'Distinct stories among them.';

CREATE OR REPLACE VIEW daily_agency_counts AS
SELECT (a.published_at AT TIME ZONE 'UTC')::date AS day,
       agency,
       count(*) AS articles,
       count(DISTINCT a.story_id) AS stories,
       count(DISTINCT a.source) AS outlets
FROM articles AS a, unnest(a.agencies) AS agency
WHERE a.published_at IS NOT NULL
GROUP BY 1, 2;
COMMENT ON VIEW daily_agency_counts IS 'Articles, distinct stories and outlets per credited agency per UTC day.';
COMMENT ON COLUMN daily_agency_counts.day IS 'UTC day of publication.';
COMMENT ON COLUMN daily_agency_counts.agency IS 'Agency credited (AFP, Reuters, AP...).';
COMMENT ON COLUMN daily_agency_counts.articles IS 'Articles crediting it that day.';
COMMENT ON COLUMN daily_agency_counts.stories IS 'Distinct stories among them.';
COMMENT ON COLUMN daily_agency_counts.outlets IS 'Outlets that ran them.';
