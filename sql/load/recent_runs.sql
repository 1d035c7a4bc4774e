-- The most recent runs, newest first, with what each did.
SELECT id, command, status, started_at, finished_at, started_by, task_id, inputs,
       read_count, loaded_count, updated_count, unchanged_count, rejected_count, stored_count, skipped_count,
       deduped_count, new_story_count, error
FROM ingest_runs
ORDER BY id DESC
LIMIT %(limit)s;
