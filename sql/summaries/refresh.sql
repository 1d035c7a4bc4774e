-- Precomputed summaries, brought up to date after a run; CONCURRENTLY keeps them readable meanwhile.
REFRESH MATERIALIZED VIEW CONCURRENTLY agency_share;
