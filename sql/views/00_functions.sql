-- Helpers the views use.
CREATE OR REPLACE FUNCTION minhash_similarity(first bytea, second bytea) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- Share of equal 32-bit slots of two MinHash signatures: the estimated Jaccard similarity of the two bodies.
    SELECT count(*) FILTER (WHERE substring(first FROM i * 4 + 1 FOR 4) = substring(second FROM i * 4 + 1 FOR 4))::double precision
           / nullif(length(first) / 4, 0)
    FROM generate_series(0, length(first) / 4 - 1) AS i
    WHERE length(first) = length(second)
$$;
COMMENT ON FUNCTION minhash_similarity(bytea, bytea) IS
    'Estimated Jaccard similarity (0 to 1) of two bodies from their article_signatures.minhash; NULL if either is missing.';
