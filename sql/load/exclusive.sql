-- Take a job's advisory lock (session level, released when the connection ends), or say it is held elsewhere.
SELECT pg_try_advisory_lock(%(lock_class)s, %(job)s);
