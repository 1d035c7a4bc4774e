-- Forget the copy edges of the given articles (either end); the caller copies in the current ones.
DELETE FROM story_edges WHERE article_id = ANY(%(ids)s) OR other_article_id = ANY(%(ids)s);
