-- Band keys and sentence hashes are written by the ten thousand per batch, and a foreign key checks each row
-- against articles one by one: most of the time of storing a batch's signatures. They are kept in step with
-- articles by statement-level triggers instead, which remove the rows of deleted (or truncated) articles in one
-- statement. Only dedupe writes these tables, and only for articles it has just read.
SET search_path = wiredesk;

ALTER TABLE article_bands DROP CONSTRAINT article_bands_article_id_fkey;
ALTER TABLE article_sentences DROP CONSTRAINT article_sentences_article_id_fkey;

CREATE FUNCTION forget_deleted_article_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM article_bands WHERE article_id IN (SELECT id FROM deleted_articles);
    DELETE FROM article_sentences WHERE article_id IN (SELECT id FROM deleted_articles);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION forget_deleted_article_keys() IS 'Removes the band keys and sentence hashes of deleted articles (what ON DELETE CASCADE did).';

CREATE TRIGGER articles_forget_keys
    AFTER DELETE ON articles REFERENCING OLD TABLE AS deleted_articles
    FOR EACH STATEMENT EXECUTE FUNCTION forget_deleted_article_keys();
COMMENT ON TRIGGER articles_forget_keys ON articles IS 'Keeps article_bands and article_sentences free of deleted articles.';

CREATE FUNCTION forget_all_article_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE article_bands, article_sentences;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION forget_all_article_keys() IS 'Empties the band keys and sentence hashes when articles is truncated.';

CREATE TRIGGER articles_forget_all_keys
    AFTER TRUNCATE ON articles
    FOR EACH STATEMENT EXECUTE FUNCTION forget_all_article_keys();
COMMENT ON TRIGGER articles_forget_all_keys ON articles IS 'Keeps article_bands and article_sentences empty when articles is emptied.';

COMMENT ON COLUMN article_bands.article_id IS 'The article (no foreign key: rows of deleted articles are removed by the trigger articles_forget_keys).';
COMMENT ON COLUMN article_sentences.article_id IS 'The article (no foreign key: rows of deleted articles are removed by the trigger articles_forget_keys).';
