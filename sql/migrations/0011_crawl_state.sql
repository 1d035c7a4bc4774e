-- What fetch runs and archive imports remember between them: how each feed, sitemap and listing page fared run
-- after run (one that keeps failing is asked again after a back-off that doubles with each failure, rejected with
-- reason 'backoff' in between, instead of every night); the hosts that asked (Retry-After) to be left alone until
-- a time later than the run that was told; and the web archives an import has read to the end.
SET search_path = wiredesk;

CREATE TABLE feed_health (
    source                text NOT NULL REFERENCES sources (slug) ON UPDATE CASCADE ON DELETE CASCADE,
    url                   text NOT NULL,
    kind                  text NOT NULL CHECK (kind IN ('feed', 'sitemap', 'listing-page')),
    consecutive_failures  integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    last_attempt_at       timestamptz NOT NULL,
    last_success_at       timestamptz,
    last_reason           text CHECK (last_reason ~ '^[a-z0-9-]+$'),
    last_detail           text,
    next_attempt_at       timestamptz,
    last_run_id           bigint NOT NULL REFERENCES ingest_runs (id),
    PRIMARY KEY (source, url),
    CHECK ((consecutive_failures = 0) = (last_reason IS NULL))
);
CREATE INDEX feed_health_failing_idx ON feed_health (next_attempt_at) WHERE consecutive_failures > 0;
COMMENT ON TABLE feed_health IS 'Each feed, sitemap and listing page a fetch run asked for, and how it fared: failures in a row, and when one that keeps failing is asked again.';
COMMENT ON COLUMN feed_health.source IS 'Outlet the document belongs to.';
COMMENT ON COLUMN feed_health.url IS 'The feed, sitemap or listing page, as the sources file (or the site''s robots.txt) names it.';
COMMENT ON COLUMN feed_health.kind IS 'What it is: feed, sitemap or listing-page.';
COMMENT ON COLUMN feed_health.consecutive_failures IS 'Runs in a row that failed to read it; 0 once one reads it.';
COMMENT ON COLUMN feed_health.last_attempt_at IS 'When a run last asked for it.';
COMMENT ON COLUMN feed_health.last_success_at IS 'When a run last read it; NULL if none ever did.';
COMMENT ON COLUMN feed_health.last_reason IS 'Reason code of the last failure (server-error, timeout, http-404, bad-xml...); NULL after a success.';
COMMENT ON COLUMN feed_health.last_detail IS 'Human explanation of the last failure.';
COMMENT ON COLUMN feed_health.next_attempt_at IS 'When it may be asked again after failing runs in a row; NULL: at the next run. Runs before then reject it with reason backoff.';
COMMENT ON COLUMN feed_health.last_run_id IS 'The run that last asked for it.';

CREATE TABLE host_holds (
    host        text PRIMARY KEY CHECK (host <> ''),
    held_until  timestamptz NOT NULL,
    set_at      timestamptz NOT NULL DEFAULT now(),
    set_run_id  bigint NOT NULL REFERENCES ingest_runs (id)
);
COMMENT ON TABLE host_holds IS 'Hosts that answered 429 or 503 with a Retry-After: no run asks them anything before held_until, whatever run comes next.';
COMMENT ON COLUMN host_holds.host IS 'The host (name or address) that asked.';
COMMENT ON COLUMN host_holds.held_until IS 'When it may be asked again; runs before then reject its URLs with reason retry-after.';
COMMENT ON COLUMN host_holds.set_at IS 'When the hold was last recorded.';
COMMENT ON COLUMN host_holds.set_run_id IS 'The run that recorded it.';

CREATE TABLE archive_reads (
    url          text PRIMARY KEY,
    status       text NOT NULL CHECK (status IN ('reading', 'read', 'broken')),
    attempts     integer NOT NULL DEFAULT 1 CHECK (attempts > 0),
    documents    integer NOT NULL DEFAULT 0 CHECK (documents >= 0),
    error        text,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    last_run_id  bigint NOT NULL REFERENCES ingest_runs (id),
    CHECK ((status = 'broken') = (error IS NOT NULL))
);
COMMENT ON TABLE archive_reads IS 'Web archives (CC-NEWS WARC files) an import streamed: one read to the end is not read again; one that broke off is read again by the next import.';
COMMENT ON COLUMN archive_reads.url IS 'Where the archive was downloaded from.';
COMMENT ON COLUMN archive_reads.status IS 'reading (begun; an import stopped midway leaves it so), read (to the end, every page loaded) or broken (the download or the archive broke off).';
COMMENT ON COLUMN archive_reads.attempts IS 'Imports that began reading it.';
COMMENT ON COLUMN archive_reads.documents IS 'Pages of the configured sources the last attempt took from it.';
COMMENT ON COLUMN archive_reads.error IS 'Why the last attempt broke off, for broken archives.';
COMMENT ON COLUMN archive_reads.started_at IS 'When the last attempt began.';
COMMENT ON COLUMN archive_reads.finished_at IS 'When the last attempt ended; NULL while reading.';
COMMENT ON COLUMN archive_reads.last_run_id IS 'The import run of the last attempt.';
