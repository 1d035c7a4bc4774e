-- Canonical URLs of the night's articles that more than one article carries: a page loaded twice.
SELECT count(*) FROM (
    SELECT a.canonical_url
    FROM articles a
    WHERE a.canonical_url IN (SELECT canonical_url FROM night_articles)
    GROUP BY a.canonical_url
    HAVING count(*) > 1
) AS duplicated;
