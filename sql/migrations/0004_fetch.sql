-- What the fetch stage keeps: the HTTP answer of each fetched document, and the run's fetch counts.
SET search_path = wiredesk;

ALTER TABLE raw_documents
    ADD COLUMN final_url text,
    ADD COLUMN http_status smallint CHECK (http_status BETWEEN 100 AND 599),
    ADD COLUMN etag text,
    ADD COLUMN last_modified text,
    ADD COLUMN content_type text,
    ADD COLUMN encoding text,
    ADD COLUMN redirects text[] NOT NULL DEFAULT '{}';
CREATE INDEX raw_documents_url_idx ON raw_documents (url);
COMMENT ON COLUMN raw_documents.final_url IS 'For fetched documents: the URL that answered, after redirects.';
COMMENT ON COLUMN raw_documents.http_status IS 'For fetched documents: HTTP status of the final answer.';
COMMENT ON COLUMN raw_documents.etag IS 'ETag header, sent back as If-None-Match when the page is fetched again.';
COMMENT ON COLUMN raw_documents.last_modified IS 'Last-Modified header, sent back as If-Modified-Since.';
COMMENT ON COLUMN raw_documents.content_type IS 'Content-Type header as the server sent it.';
COMMENT ON COLUMN raw_documents.encoding IS 'Text encoding decided when fetched (BOM, header, meta tag or detection).';
COMMENT ON COLUMN raw_documents.redirects IS 'URLs that answered with a redirect before the final one, in order.';

ALTER TABLE ingest_runs
    ADD COLUMN listed_count integer NOT NULL DEFAULT 0 CHECK (listed_count >= 0),
    ADD COLUMN skipped_count integer NOT NULL DEFAULT 0 CHECK (skipped_count >= 0);
COMMENT ON COLUMN ingest_runs.listed_count IS 'Article URLs the feeds and sitemaps listed for the run''s window.';
COMMENT ON COLUMN ingest_runs.skipped_count IS 'Of those, URLs not downloaded because the warehouse has them already.';
