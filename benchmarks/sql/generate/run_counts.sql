WITH loaded AS (
    SELECT first_run AS id, count(*) AS loaded, count(*) FILTER (WHERE k = 1) AS new_stories
    FROM article_plan GROUP BY 1
),
updated AS (SELECT last_run AS id, count(*) AS updated FROM article_plan WHERE last_run <> first_run GROUP BY 1),
rejected AS (
    SELECT run AS id, count(*) AS rejected FROM rejects, generate_series(first_run_id, last_run_id) AS run GROUP BY 1
),
counts AS (
    SELECT g.id, coalesce(l.loaded, 0) AS loaded, coalesce(l.new_stories, 0) AS new_stories,
           coalesce(u.updated, 0) AS updated, coalesce(j.rejected, 0) AS rejected, mod(g.id * 37, 41) AS unchanged
    FROM ingest_runs AS g
    LEFT JOIN loaded AS l USING (id) LEFT JOIN updated AS u USING (id) LEFT JOIN rejected AS j USING (id)
)
UPDATE ingest_runs AS g
SET read_count = c.loaded + c.updated + c.unchanged + c.rejected,
    loaded_count = c.loaded, updated_count = c.updated, unchanged_count = c.unchanged, rejected_count = c.rejected,
    deduped_count = c.loaded, duplicate_count = c.loaded - c.new_stories, new_story_count = c.new_stories,
    finished_at = g.started_at + make_interval(secs => 30 + c.loaded / 40.0)
FROM counts AS c
WHERE g.id = c.id
