-- Runs started by a scheduler: which DAG run and task started each ingest run and the time window it covered,
-- so a night's counts can be read back with SQL and a rerun of the night finds the work the night left.
SET search_path = wiredesk;

ALTER TABLE ingest_runs
    ADD COLUMN dag_id text,
    ADD COLUMN dag_run_id text,
    ADD COLUMN task_id text,
    ADD COLUMN window_start timestamptz,
    ADD COLUMN window_end timestamptz,
    ADD CHECK (window_start IS NULL OR window_end IS NULL OR window_start <= window_end);
CREATE INDEX ingest_runs_dag_run_idx ON ingest_runs (dag_id, dag_run_id) WHERE dag_run_id IS NOT NULL;
COMMENT ON COLUMN ingest_runs.dag_id IS 'Airflow DAG that started the run; NULL for runs started from the command line.';
COMMENT ON COLUMN ingest_runs.dag_run_id IS 'Airflow DAG run (run_id) that started the run; every try of its tasks shares it.';
COMMENT ON COLUMN ingest_runs.task_id IS 'Airflow task that started the run, with its map index for mapped tasks (fetch[2]).';
COMMENT ON COLUMN ingest_runs.window_start IS 'Start of the time window the run covered (the DAG run''s data interval).';
COMMENT ON COLUMN ingest_runs.window_end IS 'End of that window, exclusive.';

-- A raw document stored without extraction (fetch --fetch-only, the nightly DAG's fetch task) waits for one.
ALTER TABLE raw_documents ADD COLUMN extracted_run_id bigint REFERENCES ingest_runs (id);
UPDATE raw_documents AS d SET extracted_run_id = d.first_run_id
WHERE EXISTS (SELECT FROM articles a WHERE a.raw_document_id = d.id)
   OR EXISTS (SELECT FROM rejects r WHERE r.raw_document_id = d.id)
   OR EXISTS (SELECT FROM ingest_runs r WHERE r.id = d.first_run_id AND r.stored_count = 0);
CREATE INDEX raw_documents_unextracted_idx ON raw_documents (id) WHERE extracted_run_id IS NULL;
COMMENT ON COLUMN raw_documents.extracted_run_id IS 'Run that first extracted the document; NULL while it waits for extraction (stored by fetch --fetch-only).';
