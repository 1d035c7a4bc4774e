SELECT DISTINCT story_id FROM articles WHERE id = ANY(%(ids)s) AND story_id IS NOT NULL;
