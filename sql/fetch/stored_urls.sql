-- Which of the listed URLs the warehouse has already: fetched before (by the URL asked for), or loaded as an
-- article under the same canonical URL.
SELECT origin FROM raw_documents WHERE origin = ANY(%(urls)s)
UNION
SELECT key FROM articles WHERE key = ANY(%(canonical)s);
