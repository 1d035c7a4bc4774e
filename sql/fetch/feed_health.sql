-- How each of a source's feeds, sitemaps and listing pages fared in the runs so far.
SELECT url, consecutive_failures, last_reason, next_attempt_at
FROM feed_health
WHERE source = %(source)s;
