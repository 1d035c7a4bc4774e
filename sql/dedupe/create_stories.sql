-- New, empty stories for the batch's new components; refresh_stories.sql fills them in.
INSERT INTO stories (copies) SELECT 0 FROM generate_series(1, %(count)s) RETURNING id;
