-- Outlets whose runs in the report's span yielded articles on most of their earlier nights (up to 7) and none on
-- their latest, with what that latest night asked and why it failed. A night is one Airflow DAG run's data
-- interval (with its retries and re-runs); a run outside Airflow is a night of its own.
WITH nights AS (
    SELECT h.source,
           coalesce(h.window_end, max(h.recorded_at)) AS night_end,
           sum(h.articles_new) AS articles,
           sum(h.feeds_tried) AS feeds_tried,
           sum(h.feeds_failed) AS feeds_failed,
           sum(h.pages_tried) AS pages_tried,
           string_agg(h.reasons, '; ' ORDER BY h.run_id) AS reasons
    FROM source_run_health AS h
    WHERE h.recorded_at >= %(since)s AND h.recorded_at < %(until)s
    GROUP BY h.source, h.dag_id, h.window_end, CASE WHEN h.dag_id IS NULL THEN h.run_id END
),
ranked AS (
    SELECT n.*, row_number() OVER (PARTITION BY n.source ORDER BY n.night_end DESC) AS recency
    FROM nights AS n
),
usual AS (
    SELECT source, count(*) FILTER (WHERE articles > 0) AS yielding, count(*) AS nights
    FROM ranked
    WHERE recency BETWEEN 2 AND 8
    GROUP BY source
    HAVING count(*) FILTER (WHERE articles > 0) * 2 > count(*)
)
SELECT src.slug,
       src.name,
       latest.night_end,
       u.yielding,
       u.nights,
       latest.feeds_tried - latest.feeds_failed AS feeds_answered,
       latest.feeds_tried,
       latest.pages_tried,
       latest.reasons
FROM usual AS u
JOIN ranked AS latest ON latest.source = u.source AND latest.recency = 1
JOIN sources AS src ON src.slug = u.source
WHERE latest.articles = 0
ORDER BY src.slug;
