-- Which outlets ran the story with the most copies, when (in each outlet's own time zone), under which headline,
-- and which copy is the canonical one?
WITH story AS (
    SELECT s.id
    FROM wiredesk.stories AS s
    ORDER BY s.copies DESC, s.first_seen DESC, s.id
    LIMIT 1
)
SELECT o.name AS outlet,
       to_char(c.published_at AT TIME ZONE o.timezone, 'YYYY-MM-DD HH24:MI ') || o.timezone AS published,
       c.canonical,
       c.title
FROM wiredesk.story_copies AS c
JOIN story ON story.id = c.story_id
JOIN wiredesk.sources AS o ON o.slug = c.source
ORDER BY c.published_at NULLS LAST, c.article_id;
