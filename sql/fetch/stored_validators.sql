-- The latest stored answer of each URL asked for, with what a conditional GET sends back.
SELECT DISTINCT ON (origin) origin, etag, last_modified, sha256
FROM raw_documents
WHERE origin = ANY(%(urls)s)
ORDER BY origin, fetched_at DESC;
