-- A run whose process died (kill -9, a lost warehouse connection) cannot record how it ended: the next run to start
-- marks it abandoned, so a run's status never stays 'running' for a process that is gone.
SET search_path = wiredesk;

ALTER TABLE ingest_runs DROP CONSTRAINT ingest_runs_status_check;
ALTER TABLE ingest_runs
    ADD CONSTRAINT ingest_runs_status_check CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned'));
COMMENT ON COLUMN ingest_runs.status IS 'running, succeeded, failed (see error), or abandoned: its process ended without recording how (killed, or its warehouse connection lost), as the next run to start found.';
COMMENT ON COLUMN ingest_runs.error IS 'Why the run failed or was abandoned; NULL otherwise. Rejected inputs do not fail a run.';
COMMENT ON COLUMN ingest_runs.finished_at IS 'When the run ended (for an abandoned run, when the next run found it gone); NULL while it runs.';
