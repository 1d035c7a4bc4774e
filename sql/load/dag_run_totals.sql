-- What an Airflow DAG run did, over its tasks' ingest runs (every try): inputs listed, articles new and updated,
-- rejects, articles placed in stories, new stories; and its sources, with those whose every request failed.
WITH latest AS (
    SELECT DISTINCT ON (h.source) h.source, h.all_requests_failed
    FROM source_run_health AS h
    WHERE h.dag_id = %(dag_id)s AND h.dag_run_id = %(dag_run_id)s
    ORDER BY h.source, h.run_id DESC
)
SELECT coalesce(sum(r.listed_count), 0),
       coalesce(sum(r.loaded_count), 0),
       coalesce(sum(r.updated_count), 0),
       coalesce(sum(r.rejected_count), 0),
       coalesce(sum(r.deduped_count), 0),
       coalesce(sum(r.new_story_count), 0),
       (SELECT count(*) FROM latest),
       (SELECT count(*) FROM latest WHERE all_requests_failed)
FROM ingest_runs AS r
WHERE r.dag_id = %(dag_id)s AND r.dag_run_id = %(dag_run_id)s;
