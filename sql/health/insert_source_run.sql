INSERT INTO source_runs (run_id, source, feeds_tried, feeds_failed, pages_tried, pages_failed, read_count, rejected,
                         articles_new)
VALUES (%(run_id)s, %(source)s, %(feeds_tried)s, %(feeds_failed)s, %(pages_tried)s, %(pages_failed)s, %(read)s,
        %(rejected)s,
        (SELECT count(*) FROM articles WHERE first_run_id = %(run_id)s AND source = %(source)s))
ON CONFLICT (run_id, source) DO UPDATE SET
    feeds_tried = EXCLUDED.feeds_tried,
    feeds_failed = EXCLUDED.feeds_failed,
    pages_tried = EXCLUDED.pages_tried,
    pages_failed = EXCLUDED.pages_failed,
    read_count = EXCLUDED.read_count,
    rejected = EXCLUDED.rejected,
    articles_new = EXCLUDED.articles_new,
    recorded_at = now()
RETURNING articles_new;
