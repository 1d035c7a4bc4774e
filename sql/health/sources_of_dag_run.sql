-- Each source's latest try in an Airflow DAG run, as source_run_health shows it.
SELECT DISTINCT ON (h.source) h.source, h.feeds_tried, h.feeds_failed, h.pages_tried, h.pages_failed, h.read_count,
       h.articles_new, h.rejected, h.reasons
FROM source_run_health AS h
WHERE h.dag_id = %(dag_id)s AND h.dag_run_id = %(dag_run_id)s
ORDER BY h.source, h.run_id DESC;
