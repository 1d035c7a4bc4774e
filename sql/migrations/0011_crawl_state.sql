-- What fetch runs remember between them, to crawl as publishers ask: how each feed, sitemap and listing page fared
-- run after run (one that keeps failing is asked again after a back-off that doubles with each failure, rejected
-- with reason 'backoff' in between, instead of every night), and the hosts that asked (Retry-After) to be left
-- alone until a time later than the run that was told.
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
