CREATE TEMP TABLE stage_signatures (
    article_id    bigint NOT NULL,
    algorithm     text NOT NULL,
    content_hash  text NOT NULL,
    shingles      integer NOT NULL,
    minhash       bytea NOT NULL,
    terms         bytea NOT NULL,
    sentence_sizes bytea NOT NULL
) ON COMMIT DROP;
CREATE TEMP TABLE stage_bands (key bigint NOT NULL, article_id bigint NOT NULL) ON COMMIT DROP;
CREATE TEMP TABLE stage_sentences (hash bigint NOT NULL, article_id bigint NOT NULL) ON COMMIT DROP;
CREATE TEMP TABLE stage_sentence_keys (key bigint NOT NULL, article_id bigint NOT NULL) ON COMMIT DROP;
