UPDATE ingest_runs SET
    listed_count = listed_count + %(listed)s,
    skipped_count = skipped_count + %(skipped)s
WHERE id = %(run_id)s;
