-- What one run's attempt at a feed, sitemap or listing page did: a success clears the failures, a failure
-- counts one more and carries the time the back-off lets it be asked again.
INSERT INTO feed_health AS h (
    source, url, kind, consecutive_failures, last_attempt_at, last_success_at, last_reason, last_detail,
    next_attempt_at, last_run_id
)
VALUES (
    %(source)s, %(url)s, %(kind)s, %(failures)s, %(at)s, CASE WHEN %(reason)s::text IS NULL THEN %(at)s END,
    %(reason)s, %(detail)s, %(next_attempt_at)s, %(run_id)s
)
ON CONFLICT (source, url) DO UPDATE SET
    kind = EXCLUDED.kind,
    consecutive_failures = EXCLUDED.consecutive_failures,
    last_attempt_at = EXCLUDED.last_attempt_at,
    last_success_at = coalesce(EXCLUDED.last_success_at, h.last_success_at),
    last_reason = EXCLUDED.last_reason,
    last_detail = EXCLUDED.last_detail,
    next_attempt_at = EXCLUDED.next_attempt_at,
    last_run_id = EXCLUDED.last_run_id;
