-- Run after the migrations, once yoyo has created its tables in wiredesk_migrations (bootstrap.sql comes too early).
COMMENT ON TABLE wiredesk_migrations._yoyo_migration IS 'The files of sql/migrations/ applied to this warehouse, one row each, written by yoyo.';
COMMENT ON TABLE wiredesk_migrations._yoyo_log IS 'Every apply, rollback, mark and unmark yoyo has done here, with who and when.';
COMMENT ON TABLE wiredesk_migrations._yoyo_version IS 'Versions of the layout of yoyo''s own tables.';
COMMENT ON TABLE wiredesk_migrations.yoyo_lock IS 'Held while migrations are applied, so two upgrades never run at once.';
