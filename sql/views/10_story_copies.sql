CREATE OR REPLACE VIEW story_copies AS
SELECT s.id AS story_id,
       a.id AS article_id,
       a.source,
       a.published_at,
       a.title,
       a.url,
       a.agencies,
       a.word_count,
       a.id = s.canonical_article_id AS canonical,
       a.published_at - s.first_seen AS after_first,
       a.word_count - c.word_count AS words_vs_canonical,
       CASE WHEN a.id = s.canonical_article_id THEN 1.0
            ELSE minhash_similarity(g.minhash, cg.minhash) END AS similarity_to_canonical
FROM stories AS s
JOIN articles AS a ON a.story_id = s.id
LEFT JOIN articles AS c ON c.id = s.canonical_article_id
LEFT JOIN article_signatures AS g ON g.article_id = a.id
LEFT JOIN article_signatures AS cg ON cg.article_id = s.canonical_article_id;
COMMENT ON VIEW story_copies IS 'Every copy of every story: which outlet ran it, when, and how much it differs from the canonical copy.';
COMMENT ON COLUMN story_copies.story_id IS 'The story.';
COMMENT ON COLUMN story_copies.article_id IS 'The copy.';
COMMENT ON COLUMN story_copies.source IS 'Outlet that ran the copy.';
COMMENT ON COLUMN story_copies.published_at IS 'When the outlet published it.';
COMMENT ON COLUMN story_copies.title IS 'The outlet''s headline.';
COMMENT ON COLUMN story_copies.url IS 'Where the copy was found.';
COMMENT ON COLUMN story_copies.agencies IS 'Agencies the copy credits.';
COMMENT ON COLUMN story_copies.word_count IS 'Words in the copy''s body.';
COMMENT ON COLUMN story_copies.canonical IS 'True for the story''s canonical copy.';
COMMENT ON COLUMN story_copies.after_first IS 'How long after the story''s first copy this one was published.';
COMMENT ON COLUMN story_copies.words_vs_canonical IS 'Words added (positive) or cut (negative) compared with the canonical copy.';
COMMENT ON COLUMN story_copies.similarity_to_canonical IS 'Estimated Jaccard similarity of the body to the canonical copy''s (1 = same text).';
