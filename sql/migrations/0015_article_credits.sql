-- A story's production credits ("Additional reporting by ...; Editing by ..."), which extraction takes out of the
-- body, are kept in a column of their own rather than dropped: who reported and edited a wire copy is worth a query.
SET search_path = wiredesk;

ALTER TABLE articles ADD COLUMN credits text[] NOT NULL DEFAULT '{}';
COMMENT ON COLUMN articles.credits IS 'The production credits the page prints below the story (Additional reporting by ...; Editing by ...; X contributed reporting), one line each as printed, out of the body and apart from authors; empty when it prints none, and on rows loaded before credits were kept (re-extract fills them).';
