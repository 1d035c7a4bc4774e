-- Raw documents are immutable: a hash already stored is kept as it is, except that a document stored without
-- extraction is marked extracted by the first run that extracts it.
INSERT INTO raw_documents (sha256, source, url, origin, media_type, fetched_at, size_bytes, payload, first_run_id,
                           final_url, http_status, etag, last_modified, content_type, encoding, redirects,
                           extracted_run_id)
SELECT DISTINCT ON (sha256)
       sha256, source, url, origin, media_type, fetched_at, size_bytes, payload, %(run_id)s,
       final_url, http_status, etag, last_modified, content_type, encoding, redirects,
       CASE WHEN %(extracted)s THEN %(run_id)s END
FROM stage_raw_documents
ORDER BY sha256, fetched_at
ON CONFLICT (sha256) DO UPDATE SET extracted_run_id = EXCLUDED.extracted_run_id
WHERE raw_documents.extracted_run_id IS NULL AND EXCLUDED.extracted_run_id IS NOT NULL;
