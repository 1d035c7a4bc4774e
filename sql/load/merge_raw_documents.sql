-- Raw documents are immutable: a hash already stored is kept as it is.
INSERT INTO raw_documents (sha256, source, url, origin, media_type, fetched_at, size_bytes, payload, first_run_id,
                           final_url, http_status, etag, last_modified, content_type, encoding, redirects)
SELECT DISTINCT ON (sha256)
       sha256, source, url, origin, media_type, fetched_at, size_bytes, payload, %(run_id)s,
       final_url, http_status, etag, last_modified, content_type, encoding, redirects
FROM stage_raw_documents
ORDER BY sha256, fetched_at
ON CONFLICT (sha256) DO NOTHING;
