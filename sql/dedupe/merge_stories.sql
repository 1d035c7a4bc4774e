-- Fold the stories in %(merged)s into %(survivor)s, the oldest, and record why.
INSERT INTO story_merges (merged_story_id, into_story_id, bridging_article_id, run_id)
SELECT merged, %(survivor)s, %(bridge)s, %(run_id)s FROM unnest(%(merged)s::bigint[]) AS merged;
UPDATE articles SET story_id = %(survivor)s WHERE story_id = ANY(%(merged)s);
DELETE FROM story_links AS l
WHERE l.story_id = ANY(%(merged)s)
  AND EXISTS (SELECT 1 FROM story_links AS k WHERE k.article_id = l.article_id AND k.story_id = %(survivor)s);
UPDATE story_links SET story_id = %(survivor)s WHERE story_id = ANY(%(merged)s);
DELETE FROM stories WHERE id = ANY(%(merged)s);
