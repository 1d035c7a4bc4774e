-- A host asked (Retry-After) not to be asked before a time: keep the later of that and what it asked before.
INSERT INTO host_holds AS h (host, held_until, set_run_id)
VALUES (%(host)s, %(held_until)s, %(run_id)s)
ON CONFLICT (host) DO UPDATE SET
    held_until = greatest(h.held_until, EXCLUDED.held_until),
    set_at = now(),
    set_run_id = EXCLUDED.set_run_id;
