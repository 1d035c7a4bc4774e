INSERT INTO story_links (article_id, story_id, sentences) VALUES %s;
