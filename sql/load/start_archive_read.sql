-- An import begins reading an archive (again, after a broken or interrupted attempt).
INSERT INTO archive_reads AS a (url, status, last_run_id)
VALUES (%(url)s, 'reading', %(run_id)s)
ON CONFLICT (url) DO UPDATE SET
    status = 'reading',
    attempts = a.attempts + 1,
    documents = 0,
    error = NULL,
    started_at = now(),
    finished_at = NULL,
    last_run_id = EXCLUDED.last_run_id;
