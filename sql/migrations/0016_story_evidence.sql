-- Updates and rewrites: the sentence content words and keys the second dedupe stage compares and searches, and the
-- evidence of every copy edge that placed an article in its story.
SET search_path = wiredesk;

ALTER TABLE article_signatures
    ADD COLUMN terms bytea NOT NULL DEFAULT '',
    ADD COLUMN sentence_sizes bytea NOT NULL DEFAULT '';
COMMENT ON COLUMN article_signatures.terms IS 'Content-word hashes (unsigned 32-bit little-endian) of each sentence of at least four content words, distinct and increasing within one, sentence after sentence: what the second dedupe stage aligns.';
COMMENT ON COLUMN article_signatures.sentence_sizes IS 'Those sentences'' numbers of content words (unsigned 16-bit little-endian).';

CREATE TABLE article_sentence_keys (
    key         bigint NOT NULL,
    article_id  bigint NOT NULL,
    PRIMARY KEY (key, article_id)
);
CREATE INDEX article_sentence_keys_article_id_idx ON article_sentence_keys (article_id);
COMMENT ON TABLE article_sentence_keys IS 'One key per sentence of at least four content words, from its two smallest content-word hashes: rewritten versions of a sentence tend to share it, so articles sharing a key are candidate versions of one story.';
COMMENT ON COLUMN article_sentence_keys.key IS 'The sentence key.';
COMMENT ON COLUMN article_sentence_keys.article_id IS 'The article (no foreign key: rows of deleted articles are removed by the trigger articles_forget_keys).';

CREATE OR REPLACE FUNCTION forget_deleted_article_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM article_bands WHERE article_id IN (SELECT id FROM deleted_articles);
    DELETE FROM article_sentences WHERE article_id IN (SELECT id FROM deleted_articles);
    DELETE FROM article_sentence_keys WHERE article_id IN (SELECT id FROM deleted_articles);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION forget_deleted_article_keys() IS 'Removes the band keys, sentence hashes and sentence keys of deleted articles (what ON DELETE CASCADE did).';

CREATE OR REPLACE FUNCTION forget_all_article_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE article_bands, article_sentences, article_sentence_keys;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION forget_all_article_keys() IS 'Empties the band keys, sentence hashes and sentence keys when articles is truncated.';

CREATE TABLE story_edges (
    article_id        bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    other_article_id  bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    scorer            text NOT NULL CHECK (scorer IN ('identical', 'shingles', 'alignment')),
    score             real NOT NULL CHECK (score BETWEEN 0 AND 1),
    jaccard           real NOT NULL CHECK (jaccard BETWEEN 0 AND 1),
    containment       real NOT NULL CHECK (containment BETWEEN 0 AND 1),
    aligned_sentences integer NOT NULL CHECK (aligned_sentences >= 0),
    sentences         integer NOT NULL CHECK (sentences >= aligned_sentences),
    PRIMARY KEY (article_id, other_article_id),
    CHECK (article_id <> other_article_id)
);
CREATE INDEX story_edges_other_article_id_idx ON story_edges (other_article_id);
COMMENT ON TABLE story_edges IS 'Why articles share a story: each copy edge that placed an article, with its score and evidence. A story is a connected set of these edges.';
COMMENT ON COLUMN story_edges.article_id IS 'The later-published article of the two.';
COMMENT ON COLUMN story_edges.other_article_id IS 'The earlier-published article (unknown times count as latest).';
COMMENT ON COLUMN story_edges.scorer IS 'What decided the edge: identical bodies, shingles (estimated 5-word-shingle Jaccard or containment: a re-send), or sentence alignment (the second stage: an update or a rewrite).';
COMMENT ON COLUMN story_edges.score IS 'For alignment, the share of the shorter article''s sentences with a near match in the other; else the larger of jaccard and containment.';
COMMENT ON COLUMN story_edges.jaccard IS 'Estimated Jaccard similarity of the two bodies'' 5-word shingles.';
COMMENT ON COLUMN story_edges.containment IS 'Estimated share of the smaller shingle set inside the larger.';
COMMENT ON COLUMN story_edges.aligned_sentences IS 'For alignment, sentences of the shorter article with a near match (a sentence holding half of its content words) in the other; else 0.';
COMMENT ON COLUMN story_edges.sentences IS 'For alignment, sentences of the shorter article compared; else 0.';
