-- Which wire stories landed, newest first, with the agencies credited and where they were filed from.
SELECT source,
       title,
       agencies,
       dateline,
       published_at,
       word_count
FROM wiredesk.articles
WHERE agencies && ARRAY['AFP', 'Reuters', 'AP']
ORDER BY published_at DESC NULLS LAST
LIMIT 10;
