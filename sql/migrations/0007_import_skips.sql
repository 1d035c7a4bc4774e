-- Archive imports pass over what is stored already, and count it where fetch counts the URLs it does not download.
SET search_path = wiredesk;

COMMENT ON COLUMN ingest_runs.skipped_count IS 'Inputs passed over because the warehouse has them already: listed URLs not downloaded (fetch), archived records whose payload is stored under the same URL (import).';
