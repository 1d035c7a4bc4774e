INSERT INTO raw_documents (id, sha256, source, origin, media_type, fetched_at, size_bytes, payload, first_run_id)
OVERRIDING SYSTEM VALUE
SELECT %(articles)s + j.i, md5('reject:' || j.i) || md5('rejected:' || j.i), coalesce(j.source, 'peninsula'),
       r.inputs[1] || ':' || j.i, 'text/plain', r.started_at, 1, decode('00', 'hex'), j.first_run
FROM reject_plan AS j JOIN ingest_runs AS r ON r.id = j.first_run
WHERE j.stage = 'extract';
INSERT INTO rejects (source, origin, stage, reason, detail, raw_document_id, first_run_id, last_run_id, times_seen,
                     first_seen_at, last_seen_at)
SELECT j.source, f.inputs[1] || ':' || j.i, j.stage, j.reason, f.inputs[1] || ':' || j.i || ': ' || j.detail,
       CASE WHEN j.stage = 'extract' THEN %(articles)s + j.i END, j.first_run, j.last_run,
       j.last_run - j.first_run + 1, f.started_at, l.started_at
FROM reject_plan AS j
JOIN ingest_runs AS f ON f.id = j.first_run
JOIN ingest_runs AS l ON l.id = j.last_run
ORDER BY j.i;
