-- Which outlets ran the AFP story about Ukraine, in what order, and how much did each change it?
-- (The AFP story with the most copies whose canonical copy mentions Ukraine.)
WITH story AS (
    SELECT s.id
    FROM wiredesk.stories AS s
    JOIN wiredesk.article_search AS q ON q.article_id = s.canonical_article_id
    WHERE s.agencies @> '{AFP}'
      AND q.document @@ websearch_to_tsquery('english', 'Ukraine')
    ORDER BY s.copies DESC, s.first_seen DESC, s.id
    LIMIT 1
)
SELECT c.source,
       c.published_at,
       c.after_first,
       c.title,
       c.canonical,
       round(c.similarity_to_canonical::numeric, 2) AS similarity,
       c.words_vs_canonical
FROM wiredesk.story_copies AS c
JOIN story ON story.id = c.story_id
ORDER BY c.published_at NULLS LAST, c.article_id;
