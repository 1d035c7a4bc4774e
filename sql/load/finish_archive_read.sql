-- An import is done with an archive: read to the end, or broken off with an error.
UPDATE archive_reads
SET status = CASE WHEN %(error)s::text IS NULL THEN 'read' ELSE 'broken' END,
    documents = %(documents)s,
    error = %(error)s,
    finished_at = now()
WHERE url = %(url)s;
