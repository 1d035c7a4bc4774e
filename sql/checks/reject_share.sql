-- Share of the DAG run's inputs that were rejected: rejects over the URLs its feeds and sitemaps listed (or the
-- inputs it read or passed over as stored, when more; the extract task reads again what fetch stored).
SELECT coalesce(sum(rejected_count), 0)::float8
       / greatest(coalesce(sum(listed_count), 0),
                  coalesce(sum(read_count + skipped_count) FILTER (WHERE command <> 'extract'), 0), 1)
FROM ingest_runs
WHERE dag_id = %(dag_id)s AND dag_run_id = %(dag_run_id)s;
