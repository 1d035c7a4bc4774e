-- The URLs stored with each of these payload hashes: the raw document's own, and those of the articles
-- extracted from it (one payload can reach the warehouse under several URLs).
SELECT r.sha256, r.url FROM raw_documents AS r WHERE r.sha256 = ANY(%(hashes)s)
UNION
SELECT r.sha256, a.url
FROM raw_documents AS r
JOIN articles AS a ON a.raw_document_id = r.id
WHERE r.sha256 = ANY(%(hashes)s);
