CREATE OR REPLACE VIEW story_versions AS
SELECT a.story_id,
       row_number() OVER story_order AS version,
       a.id AS article_id,
       first_value(a.id) OVER story_order AS original_article_id,
       a.id = first_value(a.id) OVER story_order AS original,
       a.source,
       a.published_at,
       a.title,
       a.word_count,
       e.other_article_id AS joined_via,
       e.scorer,
       e.score,
       e.aligned_sentences,
       e.sentences
FROM articles AS a
LEFT JOIN LATERAL (
    SELECT e.other_article_id, e.scorer, e.score, e.aligned_sentences, e.sentences
    FROM story_edges AS e
    JOIN articles AS o ON o.id = e.other_article_id AND o.story_id = a.story_id
    WHERE e.article_id = a.id
    ORDER BY e.scorer = 'alignment', e.score DESC, e.other_article_id
    LIMIT 1
) AS e ON true
WHERE a.story_id IS NOT NULL
WINDOW story_order AS (
    PARTITION BY a.story_id ORDER BY a.published_at NULLS LAST, a.word_count DESC, a.id
    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
);
COMMENT ON VIEW story_versions IS 'Every story''s articles in the order they were published, the earliest named the original, each with the edge that tied it to an earlier one: read down a story to see how it was re-sent, updated and rewritten.';
COMMENT ON COLUMN story_versions.story_id IS 'The story.';
COMMENT ON COLUMN story_versions.version IS 'Place in publication order (1: the original; unknown times last, then the longest, then the smallest id).';
COMMENT ON COLUMN story_versions.article_id IS 'The article.';
COMMENT ON COLUMN story_versions.original_article_id IS 'The story''s original: its earliest published article.';
COMMENT ON COLUMN story_versions.original IS 'True for the original.';
COMMENT ON COLUMN story_versions.source IS 'Outlet that ran it.';
COMMENT ON COLUMN story_versions.published_at IS 'When the outlet published it.';
COMMENT ON COLUMN story_versions.title IS 'The outlet''s headline.';
COMMENT ON COLUMN story_versions.word_count IS 'Words in the body.';
COMMENT ON COLUMN story_versions.joined_via IS 'An earlier article of the story it is a copy or version of (a copy edge preferred to an alignment, then the highest score); NULL for the original or when it joined through a later article.';
COMMENT ON COLUMN story_versions.scorer IS 'What decided that edge: identical, shingles (a re-send) or alignment (an update or a rewrite).';
COMMENT ON COLUMN story_versions.score IS 'The edge''s score (story_edges.score).';
COMMENT ON COLUMN story_versions.aligned_sentences IS 'For alignment, sentences of the shorter article with a near match in the other.';
COMMENT ON COLUMN story_versions.sentences IS 'For alignment, sentences of the shorter article compared.';
