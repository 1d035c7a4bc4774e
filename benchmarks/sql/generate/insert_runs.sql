INSERT INTO ingest_runs (id, command, inputs, started_by, started_at, finished_at, status)
OVERRIDING SYSTEM VALUE
SELECT r, 'ingest', ARRAY['/data/wire/' || to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM-DD-HH24') || '.jsonl'],
       'airflow@worker-1', t.at, t.at + interval '5 minutes', 'succeeded'
FROM generate_series(1, %(runs)s) AS r, LATERAL (SELECT %(start)s + r * %(run_every)s AS at) AS t
