INSERT INTO raw_documents (id, sha256, source, origin, media_type, fetched_at, size_bytes, payload, first_run_id)
OVERRIDING SYSTEM VALUE
SELECT p.n, md5(p.n::text) || md5((p.n + 1)::text), p.source, r.inputs[1] || ':' || p.n, 'text/plain',
       r.started_at, 1, decode('00', 'hex'), p.first_run
FROM article_plan AS p JOIN ingest_runs AS r ON r.id = p.first_run
ORDER BY p.n
