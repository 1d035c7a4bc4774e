-- Sources the DAG run meant to fetch whose fetch did not end well for another reason than the source itself:
-- its task failed (the warehouse, a bug) or never recorded a run.
WITH wanted AS (
    SELECT unnest(%(sources)s::text[]) AS source
),
latest AS (
    SELECT DISTINCT ON (w.source) w.source, r.status, r.error
    FROM wanted AS w
    LEFT JOIN ingest_runs AS r
           ON r.dag_id = %(dag_id)s AND r.dag_run_id = %(dag_run_id)s AND r.command = 'fetch'
          AND r.inputs = ARRAY[w.source]
    ORDER BY w.source, r.id DESC NULLS LAST
)
SELECT count(*),
       string_agg(source || ': ' || CASE WHEN status IS NULL THEN 'no fetch run recorded'
                                         ELSE 'fetch ' || status || coalesce(' (' || error || ')', '') END,
                  '; ' ORDER BY source)
FROM latest
WHERE status IS DISTINCT FROM 'succeeded' AND coalesce(error, '') NOT LIKE 'SourceUnreachable:%%';
