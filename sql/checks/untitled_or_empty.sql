-- The night's articles without a title or a body: extraction lost the story.
SELECT count(*) FROM night_articles WHERE title IS NULL OR btrim(title) = '' OR btrim(body) = '';
