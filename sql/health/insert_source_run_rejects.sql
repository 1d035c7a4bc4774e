INSERT INTO source_run_rejects (run_id, source, stage, reason, rejects, example)
VALUES (%(run_id)s, %(source)s, %(stage)s, %(reason)s, %(rejects)s, %(example)s)
ON CONFLICT (run_id, source, stage, reason) DO UPDATE SET rejects = EXCLUDED.rejects, example = EXCLUDED.example;
