-- Full-text search over titles and bodies, kept in a table of its own and filled after each load, so the
-- GIN index costs the search step and not the bulk load.
SET search_path = wiredesk;

CREATE TABLE article_search (
    article_id  bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    config      regconfig NOT NULL,
    document    tsvector NOT NULL,
    published_at timestamptz,
    indexed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX article_search_document_idx ON article_search USING gin (document);
-- A copy of articles.published_at, so "matches this week" combines both indexes on one table.
CREATE INDEX article_search_published_at_idx ON article_search (published_at);
COMMENT ON TABLE article_search IS 'Full-text search document of each article (title weighted A, body B); query with document @@ websearch_to_tsquery(''english'', ''...'').';
COMMENT ON COLUMN article_search.article_id IS 'The article.';
COMMENT ON COLUMN article_search.config IS 'Text search configuration used, chosen from the article''s language (english when unknown).';
COMMENT ON COLUMN article_search.document IS 'The title and body as a tsvector.';
COMMENT ON COLUMN article_search.published_at IS 'The article''s published_at, copied so a time window and a text match use one table.';
COMMENT ON COLUMN article_search.indexed_at IS 'When the document was built; older than articles.updated_at means it is rebuilt on the next run.';
