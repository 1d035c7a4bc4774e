-- Per-batch staging tables, dropped when the batch's transaction ends.
CREATE TEMP TABLE stage_raw_documents (
    sha256      text NOT NULL,
    source      text NOT NULL,
    url         text,
    origin      text NOT NULL,
    media_type  text NOT NULL,
    fetched_at  timestamptz NOT NULL,
    size_bytes  integer NOT NULL,
    payload     bytea NOT NULL,
    final_url   text,
    http_status smallint,
    etag        text,
    last_modified text,
    content_type text,
    encoding    text,
    redirects   text[] NOT NULL
) ON COMMIT DROP;

CREATE TEMP TABLE stage_articles (
    ordinal        integer NOT NULL,
    key            text NOT NULL,
    source         text NOT NULL,
    url            text,
    canonical_url  text,
    title          text,
    body           text NOT NULL,
    word_count     integer NOT NULL,
    authors        text[] NOT NULL,
    agencies       text[] NOT NULL,
    dateline       text,
    published_at   timestamptz,
    language       text,
    content_hash   text NOT NULL,
    raw_sha256     text NOT NULL,
    extractor      text NOT NULL,
    modified_at    timestamptz,
    published_offset_minutes smallint,
    publisher      text,
    credits        text[] NOT NULL
) ON COMMIT DROP;

CREATE TEMP TABLE stage_rejects (
    source      text,
    origin      text NOT NULL,
    stage       text NOT NULL,
    reason      text NOT NULL,
    detail      text NOT NULL,
    raw_sha256  text
) ON COMMIT DROP;
