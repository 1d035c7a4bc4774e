-- Run before the migrations: the schema the migrations (and yoyo's own bookkeeping tables) live in.
CREATE SCHEMA IF NOT EXISTS wiredesk;
COMMENT ON SCHEMA wiredesk IS 'wiredesk warehouse: wire stories republished by news outlets, with their raw pages, runs and rejects.';
