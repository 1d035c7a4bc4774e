-- Set each batch article's story from a VALUES list (id, story), leaving unchanged rows untouched.
UPDATE articles SET story_id = v.story
FROM (VALUES %s) AS v (id, story)
WHERE articles.id = v.id AND articles.story_id IS DISTINCT FROM v.story;
