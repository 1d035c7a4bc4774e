-- A source's most recently fetched raw documents, to learn its boilerplate from.
SELECT source, origin, payload, media_type, fetched_at, url, encoding
FROM raw_documents
WHERE source = %(source)s
ORDER BY fetched_at DESC, id DESC
LIMIT %(limit)s;
