CREATE OR REPLACE VIEW source_run_health AS
SELECT s.run_id,
       s.source,
       r.command,
       r.status,
       r.dag_id,
       r.dag_run_id,
       r.task_id,
       r.window_start,
       r.window_end,
       s.recorded_at,
       s.feeds_tried,
       s.feeds_failed,
       s.pages_tried,
       s.pages_failed,
       s.read_count,
       s.articles_new,
       s.rejected,
       (s.feeds_tried + s.pages_tried > 0 AND s.feeds_failed + s.pages_failed = s.feeds_tried + s.pages_tried)
           AS all_requests_failed,
       (SELECT string_agg(j.reason || ' ×' || j.rejects || ' at ' || j.stage || ', e.g. ' || j.example, '; '
                          ORDER BY j.rejects DESC, j.stage, j.reason)
        FROM source_run_rejects AS j
        WHERE j.run_id = s.run_id AND j.source = s.source) AS reasons
FROM source_runs AS s
JOIN ingest_runs AS r ON r.id = s.run_id;
COMMENT ON VIEW source_run_health IS 'Per run and outlet: the requests made and failed, articles new, the rejects'' reasons, and whether every request failed.';
COMMENT ON COLUMN source_run_health.run_id IS 'The run.';
COMMENT ON COLUMN source_run_health.source IS 'The outlet.';
COMMENT ON COLUMN source_run_health.command IS 'What the run was: fetch, import, ingest, reextract, extract.';
COMMENT ON COLUMN source_run_health.status IS 'How the run ended (running, succeeded, failed, abandoned).';
COMMENT ON COLUMN source_run_health.dag_id IS 'Airflow DAG that started the run, if any.';
COMMENT ON COLUMN source_run_health.dag_run_id IS 'Airflow DAG run that started it, if any.';
COMMENT ON COLUMN source_run_health.task_id IS 'Airflow task that started it, with its map index.';
COMMENT ON COLUMN source_run_health.window_start IS 'Start of the time window the run covered.';
COMMENT ON COLUMN source_run_health.window_end IS 'End of that window, exclusive.';
COMMENT ON COLUMN source_run_health.recorded_at IS 'When the run recorded what it did for the outlet.';
COMMENT ON COLUMN source_run_health.feeds_tried IS 'Feeds, sitemaps and listing pages asked for.';
COMMENT ON COLUMN source_run_health.feeds_failed IS 'Of those, how many failed.';
COMMENT ON COLUMN source_run_health.pages_tried IS 'Article pages asked for.';
COMMENT ON COLUMN source_run_health.pages_failed IS 'Of those, how many failed.';
COMMENT ON COLUMN source_run_health.read_count IS 'Inputs of the outlet read.';
COMMENT ON COLUMN source_run_health.articles_new IS 'Articles of the outlet inserted.';
COMMENT ON COLUMN source_run_health.rejected IS 'Inputs of the outlet rejected.';
COMMENT ON COLUMN source_run_health.all_requests_failed IS 'True when the run asked the outlet for something and every request failed: the outlet, or its feed, is down or refuses us.';
COMMENT ON COLUMN source_run_health.reasons IS 'The rejects by reason, largest first: `server-error ×1 at fetch, e.g. <detail>`.';

CREATE OR REPLACE VIEW source_health AS
WITH ranked AS (
    SELECT h.*, row_number() OVER (PARTITION BY h.source ORDER BY h.run_id DESC) AS recency
    FROM source_run_health AS h
),
streaks AS (
    SELECT source,
           max(recorded_at) FILTER (WHERE NOT all_requests_failed) AS last_success_at,
           coalesce(min(recency) FILTER (WHERE NOT all_requests_failed) - 1, count(*)) AS failing_runs
    FROM ranked
    GROUP BY source
),
-- A night is one Airflow DAG run with its retries; a run outside Airflow is a night of its own. A night failed the
-- outlet when every one of its runs did.
nights AS (
    SELECT source,
           max(run_id) AS last_run_id,
           bool_and(all_requests_failed) AS failed
    FROM ranked
    GROUP BY source, coalesce(dag_id || ' ' || dag_run_id, run_id::text)
),
night_streaks AS (
    SELECT source,
           coalesce(min(recency) FILTER (WHERE NOT failed) - 1, count(*)) AS failing_nights
    FROM (SELECT n.*, row_number() OVER (PARTITION BY n.source ORDER BY n.last_run_id DESC) AS recency
          FROM nights AS n) AS ranked_nights
    GROUP BY source
)
SELECT src.slug AS source,
       src.name,
       l.run_id AS last_run_id,
       l.recorded_at AS last_run_at,
       l.feeds_tried,
       l.feeds_failed,
       l.pages_tried,
       l.pages_failed,
       l.articles_new,
       l.rejected,
       l.reasons,
       st.last_success_at,
       coalesce(st.failing_runs, 0) AS failing_runs,
       (SELECT max(a.created_at) FROM articles AS a WHERE a.source = src.slug) AS last_article_loaded_at,
       (SELECT count(*) FROM articles AS a WHERE a.source = src.slug AND a.created_at > now() - interval '1 day')
           AS articles_last_day,
       coalesce(ns.failing_nights, 0) AS failing_nights
FROM sources AS src
LEFT JOIN ranked AS l ON l.source = src.slug AND l.recency = 1
LEFT JOIN streaks AS st ON st.source = src.slug
LEFT JOIN night_streaks AS ns ON ns.source = src.slug;
COMMENT ON VIEW source_health IS 'Per outlet: its latest run (requests tried and failed, articles new, rejects by reason), its last success and how many runs in a row have failed it.';
COMMENT ON COLUMN source_health.source IS 'Outlet slug.';
COMMENT ON COLUMN source_health.name IS 'Outlet name.';
COMMENT ON COLUMN source_health.last_run_id IS 'The latest run that touched the outlet.';
COMMENT ON COLUMN source_health.last_run_at IS 'When that run recorded what it did for the outlet.';
COMMENT ON COLUMN source_health.feeds_tried IS 'In that run: feeds, sitemaps and listing pages asked for.';
COMMENT ON COLUMN source_health.feeds_failed IS 'In that run: of those, how many failed.';
COMMENT ON COLUMN source_health.pages_tried IS 'In that run: article pages asked for.';
COMMENT ON COLUMN source_health.pages_failed IS 'In that run: of those, how many failed.';
COMMENT ON COLUMN source_health.articles_new IS 'In that run: articles inserted.';
COMMENT ON COLUMN source_health.rejected IS 'In that run: inputs rejected.';
COMMENT ON COLUMN source_health.reasons IS 'In that run: the rejects by reason, largest first, each with an example.';
COMMENT ON COLUMN source_health.last_success_at IS 'When the latest run in which some request to the outlet succeeded (or that made no request) recorded it; NULL if none did.';
COMMENT ON COLUMN source_health.failing_runs IS 'Runs in a row, up to the latest, in which every request to the outlet failed (each retry of an Airflow task is a run): 0 when the latest went through.';
COMMENT ON COLUMN source_health.last_article_loaded_at IS 'When its newest article row was inserted.';
COMMENT ON COLUMN source_health.articles_last_day IS 'Articles inserted in the last 24 hours.';
COMMENT ON COLUMN source_health.failing_nights IS 'Nights in a row, up to the latest, that failed the outlet: a night is one Airflow DAG run with its retries (it failed when every try did), a run outside Airflow is one night; 0 when the latest went through.';

CREATE OR REPLACE VIEW rejects_by_reason AS
SELECT r.id AS run_id,
       r.started_at,
       j.stage,
       j.reason,
       count(*) AS rejects,
       min(j.detail) AS example
FROM rejects AS j
JOIN ingest_runs AS r ON r.id = j.last_run_id
GROUP BY r.id, r.started_at, j.stage, j.reason;
COMMENT ON VIEW rejects_by_reason IS 'Rejects per run (the run that last saw them), stage and reason, with one example detail.';
COMMENT ON COLUMN rejects_by_reason.run_id IS 'The run.';
COMMENT ON COLUMN rejects_by_reason.started_at IS 'When the run started.';
COMMENT ON COLUMN rejects_by_reason.stage IS 'Stage that rejected the inputs.';
COMMENT ON COLUMN rejects_by_reason.reason IS 'Reason code.';
COMMENT ON COLUMN rejects_by_reason.rejects IS 'How many inputs.';
COMMENT ON COLUMN rejects_by_reason.example IS 'One of their details, naming the input.';
