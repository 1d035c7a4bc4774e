CREATE OR REPLACE VIEW daily_stories AS
SELECT (s.first_seen AT TIME ZONE 'UTC')::date AS day,
       s.id AS story_id,
       c.title,
       s.copies,
       cardinality(s.outlets) AS outlets,
       s.outlets AS outlet_names,
       s.agencies,
       s.first_seen,
       s.last_seen
FROM stories AS s
LEFT JOIN articles AS c ON c.id = s.canonical_article_id
WHERE s.first_seen IS NOT NULL;
COMMENT ON VIEW daily_stories IS 'Stories by the UTC day of their first copy, with the canonical headline; order by outlets or copies for the day''s biggest.';
COMMENT ON COLUMN daily_stories.day IS 'UTC day the story first appeared.';
COMMENT ON COLUMN daily_stories.story_id IS 'The story.';
COMMENT ON COLUMN daily_stories.title IS 'Headline of the canonical copy.';
COMMENT ON COLUMN daily_stories.copies IS 'Number of copies.';
COMMENT ON COLUMN daily_stories.outlets IS 'Number of outlets that ran it.';
COMMENT ON COLUMN daily_stories.outlet_names IS 'Outlets that ran it.';
COMMENT ON COLUMN daily_stories.agencies IS 'Agencies credited by any copy.';
COMMENT ON COLUMN daily_stories.first_seen IS 'First copy''s publication time.';
COMMENT ON COLUMN daily_stories.last_seen IS 'Latest copy''s publication time.';
