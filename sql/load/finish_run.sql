UPDATE ingest_runs SET status = %(status)s, error = %(error)s, finished_at = now()
WHERE id = %(run_id)s;
