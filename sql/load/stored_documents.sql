-- Stored raw documents to extract again, oldest first: all of them or one source's, or only those that wait for
-- their first extraction.
SELECT source, origin, payload, media_type, fetched_at, url, encoding
FROM raw_documents
WHERE (%(source)s::text IS NULL OR source = %(source)s::text)
  AND (NOT %(unextracted)s OR extracted_run_id IS NULL)
ORDER BY id;
