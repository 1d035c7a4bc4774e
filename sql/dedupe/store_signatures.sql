-- Replace the batch's signatures, band keys, sentence hashes and sentence keys with the staged ones. The staged tables are
-- analyzed first: temporary tables have no statistics, and the candidate join's plan depends on their size.
ANALYZE stage_signatures, stage_bands, stage_sentences, stage_sentence_keys;
DELETE FROM article_bands WHERE article_id IN (SELECT article_id FROM stage_signatures);
DELETE FROM article_sentences WHERE article_id IN (SELECT article_id FROM stage_signatures);
DELETE FROM article_sentence_keys WHERE article_id IN (SELECT article_id FROM stage_signatures);
INSERT INTO article_signatures AS s (article_id, algorithm, content_hash, shingles, minhash, terms, sentence_sizes)
SELECT article_id, algorithm, content_hash, shingles, minhash, terms, sentence_sizes FROM stage_signatures
ON CONFLICT (article_id) DO UPDATE SET
    algorithm = EXCLUDED.algorithm,
    content_hash = EXCLUDED.content_hash,
    shingles = EXCLUDED.shingles,
    minhash = EXCLUDED.minhash,
    terms = EXCLUDED.terms,
    sentence_sizes = EXCLUDED.sentence_sizes,
    computed_at = now();
-- Keys are distinct per article already; inserting in key order keeps the btree inserts local.
INSERT INTO article_bands (key, article_id) SELECT key, article_id FROM stage_bands ORDER BY key;
INSERT INTO article_sentences (hash, article_id) SELECT hash, article_id FROM stage_sentences ORDER BY hash;
INSERT INTO article_sentence_keys (key, article_id) SELECT key, article_id FROM stage_sentence_keys ORDER BY key;
