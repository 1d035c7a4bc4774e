-- Runs still 'running' whose process no longer holds the run's advisory lock (taken by start_run.sql, released by
-- Postgres when the process's connection ends): their process is gone, killed or cut off from the warehouse.
UPDATE ingest_runs AS r
SET status = 'abandoned',
    finished_at = greatest(now(), r.started_at),
    error = 'abandoned: its process ended without recording how (killed, or its warehouse connection lost)'
WHERE r.status = 'running'
  AND NOT EXISTS (
      SELECT 1
      FROM pg_locks AS l
      WHERE l.locktype = 'advisory'
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = %(lock_class)s::oid
        AND l.objid = r.id::oid
        AND l.objsubid = 2
  )
RETURNING r.id, r.command, r.started_by;
