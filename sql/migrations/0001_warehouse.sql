-- The warehouse: sources, ingest runs, raw documents, articles and rejects.
-- yoyo runs each migration with search_path set to its bookkeeping schema, wiredesk_migrations: every migration
-- starts by setting it to the warehouse's schema, so the tables it creates land there.
SET search_path = wiredesk;

CREATE TABLE sources (
    slug        text PRIMARY KEY CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        text NOT NULL CHECK (name <> ''),
    domain      text NOT NULL CHECK (domain <> ''),
    timezone    text NOT NULL,
    language    text CHECK (language ~ '^[a-z]{2,3}$'),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE sources IS 'The outlets wiredesk reads, as declared in config/sources.toml (refreshed on every run).';
COMMENT ON COLUMN sources.slug IS 'Short stable identifier of the outlet, the key of its table in sources.toml.';
COMMENT ON COLUMN sources.name IS 'The outlet''s name as readers know it.';
COMMENT ON COLUMN sources.domain IS 'The outlet''s registered domain, without www.';
COMMENT ON COLUMN sources.timezone IS 'IANA time zone used for times the outlet''s pages give without a zone.';
COMMENT ON COLUMN sources.language IS 'ISO 639 code of the outlet''s articles, when it publishes in one language.';
COMMENT ON COLUMN sources.updated_at IS 'When this row last changed.';

CREATE TABLE ingest_runs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    command          text NOT NULL,
    inputs           text[] NOT NULL DEFAULT '{}',
    started_by       text NOT NULL,
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    error            text,
    read_count       integer NOT NULL DEFAULT 0 CHECK (read_count >= 0),
    loaded_count     integer NOT NULL DEFAULT 0 CHECK (loaded_count >= 0),
    updated_count    integer NOT NULL DEFAULT 0 CHECK (updated_count >= 0),
    unchanged_count  integer NOT NULL DEFAULT 0 CHECK (unchanged_count >= 0),
    rejected_count   integer NOT NULL DEFAULT 0 CHECK (rejected_count >= 0),
    stored_count     integer NOT NULL DEFAULT 0 CHECK (stored_count >= 0),
    CHECK (finished_at IS NULL OR finished_at >= started_at),
    CHECK ((status = 'running') = (finished_at IS NULL)),
    CHECK (status <> 'succeeded'
           OR read_count = loaded_count + updated_count + unchanged_count + rejected_count + stored_count)
);
CREATE INDEX ingest_runs_started_at_idx ON ingest_runs (started_at DESC);
COMMENT ON TABLE ingest_runs IS 'One row per wiredesk command that loads data: who ran it, when, on what, and what came of it.';
COMMENT ON COLUMN ingest_runs.id IS 'Run number, increasing.';
COMMENT ON COLUMN ingest_runs.command IS 'The command that started the run (ingest, demo, ...).';
COMMENT ON COLUMN ingest_runs.inputs IS 'Files, folders or URLs the run was given.';
COMMENT ON COLUMN ingest_runs.started_by IS 'Operating-system user and host that started the run (user@host).';
COMMENT ON COLUMN ingest_runs.started_at IS 'When the run started.';
COMMENT ON COLUMN ingest_runs.finished_at IS 'When the run ended; NULL while it runs (or if it was killed).';
COMMENT ON COLUMN ingest_runs.status IS 'running, succeeded, or failed (see error).';
COMMENT ON COLUMN ingest_runs.error IS 'Why the run failed; NULL unless status is failed. Rejected inputs do not fail a run.';
COMMENT ON COLUMN ingest_runs.read_count IS 'Documents read (files, dump lines, fetched pages): each ends loaded, updated, unchanged, rejected or stored.';
COMMENT ON COLUMN ingest_runs.loaded_count IS 'Articles inserted that the warehouse did not have.';
COMMENT ON COLUMN ingest_runs.updated_count IS 'Articles already present whose content changed.';
COMMENT ON COLUMN ingest_runs.unchanged_count IS 'Articles already present and identical (or repeated within the run).';
COMMENT ON COLUMN ingest_runs.rejected_count IS 'Documents rejected; the reasons are in rejects.';
COMMENT ON COLUMN ingest_runs.stored_count IS 'Documents stored without extraction (fetch --fetch-only); `wiredesk reextract` turns them into articles.';

CREATE TABLE raw_documents (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256        text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    source        text NOT NULL REFERENCES sources (slug) ON UPDATE CASCADE,
    url           text,
    origin        text NOT NULL,
    media_type    text NOT NULL,
    fetched_at    timestamptz NOT NULL,
    size_bytes    integer NOT NULL CHECK (size_bytes >= 0),
    payload       bytea NOT NULL,
    first_run_id  bigint NOT NULL REFERENCES ingest_runs (id),
    stored_at     timestamptz NOT NULL DEFAULT now()
);
-- The payload is gzip already: spare the server a second compression attempt.
ALTER TABLE raw_documents ALTER COLUMN payload SET STORAGE EXTERNAL;
CREATE INDEX raw_documents_source_fetched_at_idx ON raw_documents (source, fetched_at);
COMMENT ON TABLE raw_documents IS 'Every document as it was read or fetched, kept so articles can be re-extracted without fetching again.';
COMMENT ON COLUMN raw_documents.id IS 'Surrogate key.';
COMMENT ON COLUMN raw_documents.sha256 IS 'Hex SHA-256 of the uncompressed payload: the document''s identity.';
COMMENT ON COLUMN raw_documents.source IS 'Outlet the document belongs to.';
COMMENT ON COLUMN raw_documents.url IS 'The article URL the input gave, if any.';
COMMENT ON COLUMN raw_documents.origin IS 'Where the bytes were first read: file path, path:line of a dump, or URL.';
COMMENT ON COLUMN raw_documents.media_type IS 'text/plain (scraped text) or text/html.';
COMMENT ON COLUMN raw_documents.fetched_at IS 'When the bytes were read or fetched.';
COMMENT ON COLUMN raw_documents.size_bytes IS 'Size of the uncompressed payload.';
COMMENT ON COLUMN raw_documents.payload IS 'The document''s bytes, gzip-compressed.';
COMMENT ON COLUMN raw_documents.first_run_id IS 'Run that first stored the document.';
COMMENT ON COLUMN raw_documents.stored_at IS 'When the row was written.';

CREATE TABLE articles (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key              text NOT NULL UNIQUE,
    source           text NOT NULL REFERENCES sources (slug) ON UPDATE CASCADE,
    url              text,
    canonical_url    text,
    title            text CHECK (title <> ''),
    body             text NOT NULL CHECK (body <> ''),
    word_count       integer NOT NULL CHECK (word_count > 0),
    authors          text[] NOT NULL DEFAULT '{}',
    agencies         text[] NOT NULL DEFAULT '{}',
    dateline         text CHECK (dateline <> ''),
    published_at     timestamptz,
    language         text CHECK (language ~ '^[a-z]{2,3}$'),
    content_hash     text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    raw_document_id  bigint NOT NULL REFERENCES raw_documents (id),
    extractor        text NOT NULL,
    first_run_id     bigint NOT NULL REFERENCES ingest_runs (id),
    last_run_id      bigint NOT NULL REFERENCES ingest_runs (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (key = coalesce(canonical_url, key)),
    CHECK (updated_at >= created_at)
);
-- Newest first is how analysts read news: the indexes serve ORDER BY published_at DESC NULLS LAST.
CREATE INDEX articles_published_at_idx ON articles (published_at DESC NULLS LAST);
CREATE INDEX articles_source_published_at_idx ON articles (source, published_at DESC NULLS LAST);
CREATE INDEX articles_content_hash_idx ON articles (content_hash);
CREATE INDEX articles_agencies_idx ON articles USING gin (agencies);
CREATE INDEX articles_raw_document_id_idx ON articles (raw_document_id);
COMMENT ON TABLE articles IS 'One row per article copy published by an outlet, cleaned of tickers, footers and page furniture.';
COMMENT ON COLUMN articles.id IS 'Surrogate key; stable across reloads of the same article.';
COMMENT ON COLUMN articles.key IS 'Identity of the article: its canonical URL, or sha256:<raw document hash> when the input gave no URL.';
COMMENT ON COLUMN articles.source IS 'Outlet that published this copy.';
COMMENT ON COLUMN articles.url IS 'URL the article was found at, when known.';
COMMENT ON COLUMN articles.canonical_url IS 'url normalized: lowercase scheme and host, no tracking parameters or fragment.';
COMMENT ON COLUMN articles.title IS 'Headline, without tickers of other headlines; NULL when the page gave none.';
COMMENT ON COLUMN articles.body IS 'The story''s paragraphs, separated by blank lines; nothing but the story.';
COMMENT ON COLUMN articles.word_count IS 'Words in body.';
COMMENT ON COLUMN articles.authors IS 'People credited in the byline; never agencies or organizations.';
COMMENT ON COLUMN articles.agencies IS 'Wire agencies credited (AFP, Reuters, AP, QNA, dpa...). Query with agencies @> ''{AFP}''.';
COMMENT ON COLUMN articles.dateline IS 'Place the story was filed from, as the outlet wrote it.';
COMMENT ON COLUMN articles.published_at IS 'Publication time; the outlet''s time zone applied when the page gave none. NULL when unknown.';
COMMENT ON COLUMN articles.language IS 'ISO 639 code of the text.';
COMMENT ON COLUMN articles.content_hash IS 'Hex SHA-256 of the body lowercased with punctuation removed: equal for copies differing only in case, spacing or quotes.';
COMMENT ON COLUMN articles.raw_document_id IS 'Raw document this version was extracted from.';
COMMENT ON COLUMN articles.extractor IS 'Extractor name and version that produced this row.';
COMMENT ON COLUMN articles.first_run_id IS 'Run that inserted the article.';
COMMENT ON COLUMN articles.last_run_id IS 'Run that last changed the article (unchanged reloads leave it as it was).';
COMMENT ON COLUMN articles.created_at IS 'When the article was inserted.';
COMMENT ON COLUMN articles.updated_at IS 'When the article last changed.';

CREATE TABLE rejects (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source           text REFERENCES sources (slug) ON UPDATE CASCADE,
    origin           text NOT NULL,
    stage            text NOT NULL CHECK (stage IN ('read', 'decode', 'extract', 'load', 'fetch')),
    reason           text NOT NULL CHECK (reason ~ '^[a-z0-9-]+$'),
    detail           text NOT NULL,
    raw_document_id  bigint REFERENCES raw_documents (id),
    first_run_id     bigint NOT NULL REFERENCES ingest_runs (id),
    last_run_id      bigint NOT NULL REFERENCES ingest_runs (id),
    times_seen       integer NOT NULL DEFAULT 1 CHECK (times_seen > 0),
    first_seen_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (origin, stage, reason, raw_document_id)
);
CREATE INDEX rejects_last_run_id_idx ON rejects (last_run_id);
CREATE INDEX rejects_reason_idx ON rejects (stage, reason);
COMMENT ON TABLE rejects IS 'Inputs that could not become articles: what, at which stage, and why. One row per distinct failure; a rerun bumps times_seen.';
COMMENT ON COLUMN rejects.id IS 'Surrogate key.';
COMMENT ON COLUMN rejects.source IS 'Outlet the input was for, when known.';
COMMENT ON COLUMN rejects.origin IS 'The rejected input: file path, path:line of a dump, or URL.';
COMMENT ON COLUMN rejects.stage IS 'Stage that rejected it: read, decode, extract, load or fetch.';
COMMENT ON COLUMN rejects.reason IS 'Stable reason code to group by (unreadable, not-utf8, empty-body, bad-json, unknown-source...).';
COMMENT ON COLUMN rejects.detail IS 'Human explanation of the reason.';
COMMENT ON COLUMN rejects.raw_document_id IS 'The raw document, when the bytes could be read.';
COMMENT ON COLUMN rejects.first_run_id IS 'Run that first rejected the input.';
COMMENT ON COLUMN rejects.last_run_id IS 'Run that last rejected the input.';
COMMENT ON COLUMN rejects.times_seen IS 'How many runs rejected the input.';
COMMENT ON COLUMN rejects.first_seen_at IS 'When the input was first rejected.';
COMMENT ON COLUMN rejects.last_seen_at IS 'When the input was last rejected.';
