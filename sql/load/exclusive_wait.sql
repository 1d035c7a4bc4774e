-- Wait for a job's advisory lock (session level, released when the connection ends).
SELECT pg_advisory_lock(%(lock_class)s, %(job)s);
