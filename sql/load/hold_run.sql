-- The run's advisory lock, held by its own connection for as long as the run lives and released by Postgres when
-- that connection ends: taken before the run's row is committed, so no process ever sees the run without it.
SELECT pg_advisory_lock(%(lock_class)s, %(run_id)s::integer);
