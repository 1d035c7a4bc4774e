-- A failure seen again is the same reject: bump it instead of adding a row.
INSERT INTO rejects AS j (source, origin, stage, reason, detail, raw_document_id, first_run_id, last_run_id)
SELECT DISTINCT ON (s.origin, s.stage, s.reason, r.id)
       s.source, s.origin, s.stage, s.reason, s.detail, r.id, %(run_id)s, %(run_id)s
FROM stage_rejects AS s
LEFT JOIN raw_documents AS r ON r.sha256 = s.raw_sha256
ORDER BY s.origin, s.stage, s.reason, r.id
ON CONFLICT (origin, stage, reason, raw_document_id) DO UPDATE SET
    source = EXCLUDED.source,
    detail = EXCLUDED.detail,
    last_run_id = EXCLUDED.last_run_id,
    times_seen = j.times_seen + (j.last_run_id <> EXCLUDED.last_run_id)::integer,
    last_seen_at = now();
