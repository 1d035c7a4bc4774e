-- Rejects by reason for the last run that rejected anything: what failed, where, and one example.
SELECT j.stage,
       j.reason,
       count(*) AS rejects,
       min(j.detail) AS example
FROM wiredesk.rejects AS j
WHERE j.last_run_id = (SELECT max(last_run_id) FROM wiredesk.rejects)
GROUP BY j.stage, j.reason
ORDER BY rejects DESC, j.stage, j.reason;
