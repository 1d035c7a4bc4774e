-- Inputs rejected over the report's span, by stage and reason, with one example each.
SELECT j.stage, j.reason, count(*) AS rejects, min(j.detail) AS example
FROM rejects AS j
WHERE j.last_seen_at >= %(since)s AND j.last_seen_at < %(until)s
GROUP BY 1, 2
ORDER BY 3 DESC, 1, 2;
