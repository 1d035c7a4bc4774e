-- The night's articles: published in the night's window, or first loaded by a run of the DAG for that window (feeds
-- list items published before it, and pages often give no date) or by a task of the DAG run itself (a run by hand
-- has no window).
CREATE TEMP TABLE night_articles ON COMMIT DROP AS
SELECT a.id, a.source, a.title, a.body, a.canonical_url, a.story_id
FROM articles a
WHERE (a.published_at >= %(window_start)s AND a.published_at < %(window_end)s)
   OR a.first_run_id IN (
          SELECT id FROM ingest_runs
          WHERE dag_id = %(dag_id)s
            AND (dag_run_id = %(dag_run_id)s OR (window_start = %(window_start)s AND window_end = %(window_end)s))
      );
