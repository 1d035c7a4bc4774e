-- Delete a source's articles (their signatures, bands, sentences and links go with them) and return the
-- stories they were in, so those can be refreshed.
DELETE FROM articles WHERE source = %(source)s RETURNING story_id;
