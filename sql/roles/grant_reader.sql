-- Read-only access to the warehouse schema: SELECT on its tables and views, now and as they are created;
-- nothing to write, nothing to create, no other schema.
GRANT USAGE ON SCHEMA wiredesk TO {role};
GRANT SELECT ON ALL TABLES IN SCHEMA wiredesk TO {role};
ALTER DEFAULT PRIVILEGES IN SCHEMA wiredesk GRANT SELECT ON TABLES TO {role};
ALTER ROLE {role} SET search_path = wiredesk;
ALTER ROLE {role} SET default_transaction_read_only = on;
