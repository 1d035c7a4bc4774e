INSERT INTO ingest_runs (command, inputs, started_by)
VALUES (%(command)s, %(inputs)s, %(started_by)s)
RETURNING id;
