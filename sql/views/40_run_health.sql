CREATE OR REPLACE VIEW source_health AS
SELECT src.slug AS source,
       src.name,
       max(r.finished_at) FILTER (WHERE r.status = 'succeeded') AS last_successful_run_at,
       max(a.created_at) AS last_article_loaded_at,
       count(a.id) FILTER (WHERE a.created_at > now() - interval '1 day') AS articles_last_day,
       (SELECT count(*) FROM rejects AS j WHERE j.source = src.slug AND j.last_seen_at > now() - interval '1 day')
           AS rejects_last_day
FROM sources AS src
LEFT JOIN articles AS a ON a.source = src.slug
LEFT JOIN ingest_runs AS r ON r.id = a.last_run_id
GROUP BY src.slug, src.name;
COMMENT ON VIEW source_health IS 'Per outlet: the last successful run that changed its articles, what arrived in the last day, and rejects.';
COMMENT ON COLUMN source_health.source IS 'Outlet slug.';
COMMENT ON COLUMN source_health.name IS 'Outlet name.';
COMMENT ON COLUMN source_health.last_successful_run_at IS 'When the last successful run that loaded or changed one of its articles ended.';
COMMENT ON COLUMN source_health.last_article_loaded_at IS 'When its newest article row was inserted.';
COMMENT ON COLUMN source_health.articles_last_day IS 'Articles inserted in the last 24 hours.';
COMMENT ON COLUMN source_health.rejects_last_day IS 'Inputs rejected in the last 24 hours.';

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
