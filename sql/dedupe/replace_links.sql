-- Forget the merged-rewrite links of the given articles; the caller inserts the current ones.
DELETE FROM story_links WHERE article_id = ANY(%(ids)s);
