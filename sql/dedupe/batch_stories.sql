-- The stories the batch's articles are in already (a changed body is placed again).
SELECT id, story_id FROM articles WHERE id = ANY(%(ids)s);
