CREATE TEMP TABLE reject_plan AS
WITH kinds (kind, stage, reason, detail) AS (VALUES
    (1, 'read', 'unreadable', 'cannot read: [Errno 13] Permission denied'),
    (2, 'read', 'bad-json', 'not a JSON object: Expecting value: line 1 column 1 (char 0)'),
    (3, 'read', 'unknown-source', 'no source in sources.toml serves this domain'),
    (4, 'read', 'no-text', 'no "text" string'),
    (5, 'extract', 'empty-body', 'no article text found'),
    (6, 'extract', 'not-utf8', 'not UTF-8: invalid start byte 0xe9 at 1042'),
    (7, 'extract', 'binary', 'contains NUL bytes; not a text page'),
    (8, 'read', 'unsupported-type', 'not .txt, .html, .html.gz or .jsonl'),
    (9, 'load', 'refused-by-database', 'value too long for type character varying(2048)')
),
drawn AS (
    SELECT i, 1 + floor(power(random(), 1.5) * 9)::int AS kind, 1 + floor(random() * %(runs)s)::int AS first_run,
           random() AS again, random() AS outlet
    FROM generate_series(1, %(rejects)s) AS i
)
SELECT d.i, k.stage, k.reason, k.detail, d.first_run,
       CASE WHEN d.again < 0.1 THEN least(%(runs)s, d.first_run + 1 + floor(random() * 10)::int) ELSE d.first_run END
           AS last_run,
       CASE WHEN k.reason = 'unknown-source' THEN NULL
            ELSE (%(sources)s::text[])[1 + floor(d.outlet * cardinality(%(sources)s::text[]))::int] END AS source
FROM drawn AS d JOIN kinds AS k USING (kind)
