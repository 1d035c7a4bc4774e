-- Stories: copies of one wire story grouped together, with the signatures that find them.
SET search_path = wiredesk;

CREATE TABLE stories (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    canonical_article_id  bigint,
    first_seen            timestamptz,
    last_seen             timestamptz,
    copies                integer NOT NULL DEFAULT 0 CHECK (copies >= 0),
    outlets               text[] NOT NULL DEFAULT '{}',
    agencies              text[] NOT NULL DEFAULT '{}',
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (first_seen IS NULL OR last_seen >= first_seen)
);
CREATE INDEX stories_first_seen_idx ON stories (first_seen);
CREATE INDEX stories_copies_idx ON stories (copies DESC);
CREATE INDEX stories_agencies_idx ON stories USING gin (agencies);
COMMENT ON TABLE stories IS 'One row per story: every copy of the same wire story, across outlets, linked through articles.story_id.';
COMMENT ON COLUMN stories.id IS 'Story number. Stable: when a new copy bridges two stories, the older id survives (see story_merges).';
COMMENT ON COLUMN stories.canonical_article_id IS 'The story''s canonical copy: the earliest published, then the longest, then the smallest id.';
COMMENT ON COLUMN stories.first_seen IS 'Earliest published_at among the copies.';
COMMENT ON COLUMN stories.last_seen IS 'Latest published_at among the copies.';
COMMENT ON COLUMN stories.copies IS 'Number of articles in the story.';
COMMENT ON COLUMN stories.outlets IS 'Sources that ran a copy, sorted.';
COMMENT ON COLUMN stories.agencies IS 'Agencies credited by any copy, sorted.';
COMMENT ON COLUMN stories.created_at IS 'When the story was first formed.';
COMMENT ON COLUMN stories.updated_at IS 'When the story last changed.';

ALTER TABLE articles ADD COLUMN story_id bigint REFERENCES stories (id);
CREATE INDEX articles_story_id_idx ON articles (story_id);
COMMENT ON COLUMN articles.story_id IS 'The story this copy belongs to; NULL until `wiredesk dedupe` has seen it.';

ALTER TABLE stories ADD FOREIGN KEY (canonical_article_id) REFERENCES articles (id) ON DELETE SET NULL;

CREATE TABLE article_signatures (
    article_id    bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    algorithm     text NOT NULL,
    content_hash  text NOT NULL,
    shingles      integer NOT NULL CHECK (shingles >= 0),
    minhash       bytea NOT NULL,
    computed_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE article_signatures IS 'MinHash signature of each article body, for near-duplicate detection.';
COMMENT ON COLUMN article_signatures.article_id IS 'The article.';
COMMENT ON COLUMN article_signatures.algorithm IS 'Signature algorithm and parameters; a signature of another algorithm is recomputed.';
COMMENT ON COLUMN article_signatures.content_hash IS 'articles.content_hash when the signature was computed; a different one means the body changed.';
COMMENT ON COLUMN article_signatures.shingles IS 'Number of 5-word shingles in the body (positions), for containment estimates.';
COMMENT ON COLUMN article_signatures.minhash IS 'MinHash slots, unsigned 32-bit little-endian.';
COMMENT ON COLUMN article_signatures.computed_at IS 'When the signature was computed.';

CREATE TABLE article_bands (
    key         bigint NOT NULL,
    article_id  bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (key, article_id)
);
CREATE INDEX article_bands_article_id_idx ON article_bands (article_id);
COMMENT ON TABLE article_bands IS 'LSH band keys: articles sharing a key are candidate copies.';
COMMENT ON COLUMN article_bands.key IS 'Hash of one band of the MinHash signature and the band number.';
COMMENT ON COLUMN article_bands.article_id IS 'The article.';

CREATE TABLE article_sentences (
    hash        bigint NOT NULL,
    article_id  bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (hash, article_id)
);
CREATE INDEX article_sentences_article_id_idx ON article_sentences (article_id);
COMMENT ON TABLE article_sentences IS 'Hashes of long sentences: the signal that links a rewrite merged from two stories to both.';
COMMENT ON COLUMN article_sentences.hash IS 'Hash of the sentence''s lowercased words.';
COMMENT ON COLUMN article_sentences.article_id IS 'The article.';

CREATE TABLE story_links (
    article_id  bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    story_id    bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    sentences   integer NOT NULL CHECK (sentences > 0),
    PRIMARY KEY (article_id, story_id)
);
CREATE INDEX story_links_story_id_idx ON story_links (story_id);
COMMENT ON TABLE story_links IS 'Merged rewrites: an article built from several stories (an "AFP/Reuters" rewrite), linked to each of them.';
COMMENT ON COLUMN story_links.article_id IS 'The rewrite.';
COMMENT ON COLUMN story_links.story_id IS 'A story it takes long sentences from.';
COMMENT ON COLUMN story_links.sentences IS 'How many of its long sentences originate in that story.';

CREATE TABLE story_merges (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merged_story_id      bigint NOT NULL,
    into_story_id        bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    bridging_article_id  bigint REFERENCES articles (id) ON DELETE SET NULL,
    run_id               bigint REFERENCES ingest_runs (id),
    merged_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (merged_story_id > into_story_id)
);
CREATE INDEX story_merges_merged_story_id_idx ON story_merges (merged_story_id);
COMMENT ON TABLE story_merges IS 'Stories that were merged because a new copy bridged them; the older id survives.';
COMMENT ON COLUMN story_merges.id IS 'Surrogate key.';
COMMENT ON COLUMN story_merges.merged_story_id IS 'The story id that no longer exists.';
COMMENT ON COLUMN story_merges.into_story_id IS 'The story it became part of.';
COMMENT ON COLUMN story_merges.bridging_article_id IS 'An article that copies both.';
COMMENT ON COLUMN story_merges.run_id IS 'The run that merged them.';
COMMENT ON COLUMN story_merges.merged_at IS 'When.';

ALTER TABLE ingest_runs
    ADD COLUMN deduped_count integer NOT NULL DEFAULT 0 CHECK (deduped_count >= 0),
    ADD COLUMN duplicate_count integer NOT NULL DEFAULT 0 CHECK (duplicate_count >= 0),
    ADD COLUMN new_story_count integer NOT NULL DEFAULT 0 CHECK (new_story_count >= 0),
    ADD COLUMN merged_story_count integer NOT NULL DEFAULT 0 CHECK (merged_story_count >= 0);
COMMENT ON COLUMN ingest_runs.deduped_count IS 'Articles the run placed in stories.';
COMMENT ON COLUMN ingest_runs.duplicate_count IS 'Of those, articles that joined a story with other copies (copies, not new stories).';
COMMENT ON COLUMN ingest_runs.new_story_count IS 'Stories the run created.';
COMMENT ON COLUMN ingest_runs.merged_story_count IS 'Stories the run merged into older ones.';
