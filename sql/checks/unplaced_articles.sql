-- The night's articles that no story holds: dedupe did not see them.
SELECT count(*) FROM night_articles WHERE story_id IS NULL;
