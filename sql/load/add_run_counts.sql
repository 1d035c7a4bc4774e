UPDATE ingest_runs SET
    read_count = read_count + %(read)s,
    loaded_count = loaded_count + %(loaded)s,
    updated_count = updated_count + %(updated)s,
    unchanged_count = unchanged_count + %(unchanged)s,
    rejected_count = rejected_count + %(rejected)s,
    stored_count = stored_count + %(stored)s,
    skipped_count = skipped_count + %(skipped)s
WHERE id = %(run_id)s;
