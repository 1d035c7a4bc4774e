-- Sources whose every request (feeds, sitemaps, pages) failed in the DAG run's latest try:
-- the outlet, or its feed, is down or refuses us.
WITH latest AS (
    SELECT DISTINCT ON (h.source) h.*
    FROM source_run_health AS h
    WHERE h.dag_id = %(dag_id)s AND h.dag_run_id = %(dag_run_id)s
    ORDER BY h.source, h.run_id DESC
)
SELECT count(*),
       string_agg(source || ': every request failed (' || feeds_failed || ' of ' || feeds_tried || ' feeds, '
                  || pages_failed || ' of ' || pages_tried || ' pages): ' || coalesce(reasons, 'no reason recorded'),
                  '; ' ORDER BY source)
FROM latest
WHERE all_requests_failed;
