-- Run before the migrations: the schema the warehouse lives in, and the one yoyo keeps its bookkeeping in, apart
-- from the analysts' view.
CREATE SCHEMA IF NOT EXISTS wiredesk;
COMMENT ON SCHEMA wiredesk IS 'wiredesk warehouse: wire stories republished by news outlets, with their raw pages, runs and rejects.';
CREATE SCHEMA IF NOT EXISTS wiredesk_migrations;
COMMENT ON SCHEMA wiredesk_migrations IS 'wiredesk migration bookkeeping: which files of sql/migrations/ yoyo has applied, when and by whom; not warehouse data.';

-- Warehouses upgraded before wiredesk_migrations existed keep yoyo's tables in wiredesk: moved, with their rows, so
-- no migration is applied twice.
ALTER TABLE IF EXISTS wiredesk._yoyo_migration SET SCHEMA wiredesk_migrations;
ALTER TABLE IF EXISTS wiredesk._yoyo_log SET SCHEMA wiredesk_migrations;
ALTER TABLE IF EXISTS wiredesk._yoyo_version SET SCHEMA wiredesk_migrations;
ALTER TABLE IF EXISTS wiredesk.yoyo_lock SET SCHEMA wiredesk_migrations;
