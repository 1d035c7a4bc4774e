-- Which of these archives an import has read to the end.
SELECT url
FROM archive_reads
WHERE status = 'read' AND url = ANY(%(urls)s);
