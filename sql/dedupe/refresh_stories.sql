-- Recompute the given stories from their articles; a story left with no article is deleted.
WITH summary AS (
    SELECT a.story_id,
           count(*) AS copies,
           min(a.published_at) AS first_seen,
           max(a.published_at) AS last_seen,
           array_agg(DISTINCT a.source ORDER BY a.source) AS outlets,
           (SELECT coalesce(array_agg(DISTINCT agency ORDER BY agency), '{}')
            FROM articles AS b, unnest(b.agencies) AS agency
            WHERE b.story_id = a.story_id) AS agencies,
           (array_agg(a.id ORDER BY a.published_at NULLS LAST, a.word_count DESC, a.id))[1] AS canonical
    FROM articles AS a
    WHERE a.story_id = ANY(%(ids)s)
    GROUP BY a.story_id
)
UPDATE stories AS s SET
    copies = m.copies,
    first_seen = m.first_seen,
    last_seen = m.last_seen,
    outlets = m.outlets,
    agencies = m.agencies,
    canonical_article_id = m.canonical,
    updated_at = now()
FROM summary AS m
WHERE s.id = m.story_id
  AND (s.copies, s.first_seen, s.last_seen, s.outlets, s.agencies, s.canonical_article_id)
      IS DISTINCT FROM (m.copies, m.first_seen, m.last_seen, m.outlets, m.agencies, m.canonical);
DELETE FROM stories AS s
WHERE s.id = ANY(%(ids)s) AND NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.story_id = s.id);
