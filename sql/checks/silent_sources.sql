-- Sources that usually yield articles (on most of their last 7 nights) and have none tonight:
-- their feed or pages changed, or they stopped listing new items.
WITH tonight AS (
    SELECT DISTINCT ON (h.source) h.source, h.reasons, h.pages_tried, h.feeds_tried, h.feeds_failed
    FROM source_run_health AS h
    WHERE h.dag_id = %(dag_id)s AND h.dag_run_id = %(dag_run_id)s
    ORDER BY h.source, h.run_id DESC
),
earlier AS (
    SELECT h.source, h.window_end, sum(h.articles_new) AS articles,
           row_number() OVER (PARTITION BY h.source ORDER BY h.window_end DESC) AS recency
    FROM source_run_health AS h
    WHERE h.dag_id = %(dag_id)s AND h.window_end <= %(window_start)s AND h.source IN (SELECT source FROM tonight)
    GROUP BY h.source, h.window_end
),
usual AS (
    SELECT source, count(*) FILTER (WHERE articles > 0) AS yielding, count(*) AS nights
    FROM earlier
    WHERE recency <= 7
    GROUP BY source
    HAVING count(*) FILTER (WHERE articles > 0) * 2 > count(*)
)
SELECT count(*),
       string_agg(u.source || ': no article tonight, after articles on ' || u.yielding || ' of its last ' || u.nights
                  || ' night(s); tonight ' || (t.feeds_tried - t.feeds_failed) || ' of ' || t.feeds_tried
                  || ' feeds answered and listed ' || t.pages_tried || ' new page(s)'
                  || coalesce('; rejects: ' || t.reasons, ''), '; ' ORDER BY u.source)
FROM usual AS u
JOIN tonight AS t ON t.source = u.source
WHERE NOT EXISTS (SELECT FROM night_articles AS n WHERE n.source = u.source);
