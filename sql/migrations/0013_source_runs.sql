-- Source health: what each run asked of each outlet and what came back. A feed that answers HTTP 500 every night
-- is one reject among many in `rejects`; here it is a source whose every request failed, run after run.
SET search_path = wiredesk;

CREATE TABLE source_runs (
    run_id        bigint NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
    source        text NOT NULL REFERENCES sources (slug) ON UPDATE CASCADE,
    feeds_tried   integer NOT NULL DEFAULT 0 CHECK (feeds_tried >= 0),
    feeds_failed  integer NOT NULL DEFAULT 0 CHECK (feeds_failed BETWEEN 0 AND feeds_tried),
    pages_tried   integer NOT NULL DEFAULT 0 CHECK (pages_tried >= 0),
    pages_failed  integer NOT NULL DEFAULT 0 CHECK (pages_failed BETWEEN 0 AND pages_tried),
    read_count    integer NOT NULL DEFAULT 0 CHECK (read_count >= 0),
    articles_new  integer NOT NULL DEFAULT 0 CHECK (articles_new >= 0),
    rejected      integer NOT NULL DEFAULT 0 CHECK (rejected >= 0),
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, source)
);
CREATE INDEX source_runs_source_idx ON source_runs (source, run_id DESC);
COMMENT ON TABLE source_runs IS 'Per run, per outlet it touched: the requests made (feeds, sitemaps and listing pages; article pages) and how many failed, what was read, new articles and rejects.';
COMMENT ON COLUMN source_runs.run_id IS 'The run.';
COMMENT ON COLUMN source_runs.source IS 'The outlet.';
COMMENT ON COLUMN source_runs.feeds_tried IS 'Listing documents asked for: feeds, sitemaps (with their child sitemaps) and listing pages.';
COMMENT ON COLUMN source_runs.feeds_failed IS 'Of those, how many could not be had or read (the reasons are in source_run_rejects).';
COMMENT ON COLUMN source_runs.pages_tried IS 'Article pages asked for (the listed URLs not stored yet).';
COMMENT ON COLUMN source_runs.pages_failed IS 'Of those, how many could not be downloaded.';
COMMENT ON COLUMN source_runs.read_count IS 'Inputs of the outlet the run read: downloaded pages, failed requests, or documents of a dump.';
COMMENT ON COLUMN source_runs.articles_new IS 'Articles of the outlet the run inserted.';
COMMENT ON COLUMN source_runs.rejected IS 'Inputs of the outlet the run rejected, at any stage.';
COMMENT ON COLUMN source_runs.recorded_at IS 'When the run recorded the row (at its end).';

CREATE TABLE source_run_rejects (
    run_id   bigint NOT NULL,
    source   text NOT NULL,
    stage    text NOT NULL,
    reason   text NOT NULL,
    rejects  integer NOT NULL CHECK (rejects > 0),
    example  text NOT NULL,
    PRIMARY KEY (run_id, source, stage, reason),
    FOREIGN KEY (run_id, source) REFERENCES source_runs (run_id, source) ON DELETE CASCADE ON UPDATE CASCADE
);
COMMENT ON TABLE source_run_rejects IS 'Per run and outlet, its rejects counted by stage and reason, with one example: what `rejects` says of that run alone (a reject seen again belongs to its latest run there).';
COMMENT ON COLUMN source_run_rejects.run_id IS 'The run.';
COMMENT ON COLUMN source_run_rejects.source IS 'The outlet.';
COMMENT ON COLUMN source_run_rejects.stage IS 'Stage that rejected the inputs (fetch, extract, ...).';
COMMENT ON COLUMN source_run_rejects.reason IS 'Reason code (server-error, http-404, empty-body, ...).';
COMMENT ON COLUMN source_run_rejects.rejects IS 'How many inputs.';
COMMENT ON COLUMN source_run_rejects.example IS 'One of their details, naming the input.';

-- Each run counts the articles it inserted per source, and the nightly checks find a night's articles by the runs
-- that first loaded them: both look articles up by first_run_id.
CREATE INDEX articles_first_run_id_idx ON articles (first_run_id);

-- The source_health view changes its columns (sql/views/40_run_health.sql recreates it): CREATE OR REPLACE VIEW
-- cannot drop columns.
DROP VIEW IF EXISTS source_health;
