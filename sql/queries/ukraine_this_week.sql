-- Articles mentioning 'Ukraine' in the week up to the newest article, one per story (its best match), best first.
WITH week AS (
    SELECT max(published_at) - interval '7 days' AS start FROM wiredesk.articles
),
hits AS (
    SELECT DISTINCT ON (coalesce(a.story_id, -a.id))
           a.story_id, a.id AS article_id, a.source, a.published_at, a.title,
           ts_rank(q.document, websearch_to_tsquery('english', 'Ukraine')) AS rank
    FROM wiredesk.article_search AS q
    JOIN wiredesk.articles AS a ON a.id = q.article_id
    WHERE q.document @@ websearch_to_tsquery('english', 'Ukraine')
      AND q.published_at >= (SELECT start FROM week)
    ORDER BY coalesce(a.story_id, -a.id), rank DESC, a.published_at
)
SELECT story_id, article_id, source, published_at, title, round(rank::numeric, 3) AS rank
FROM hits
ORDER BY rank DESC, published_at DESC, article_id
LIMIT 50;
