INSERT INTO ingest_runs (command, inputs, started_by, dag_id, dag_run_id, task_id, window_start, window_end)
VALUES (%(command)s, %(inputs)s, %(started_by)s, %(dag_id)s, %(dag_run_id)s, %(task_id)s, %(window_start)s,
        %(window_end)s)
RETURNING id;
