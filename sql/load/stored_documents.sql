-- Stored raw documents to extract again, oldest first (all of them, or one source's).
SELECT source, origin, payload, media_type, fetched_at, url, encoding
FROM raw_documents
WHERE %(source)s::text IS NULL OR source = %(source)s::text
ORDER BY id;
