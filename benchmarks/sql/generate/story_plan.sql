CREATE TEMP TABLE story_plan AS
WITH drawn AS (
    SELECT s, random() AS kind, random() AS u, random() AS agency, random() AS topic, random() AS place,
           random() AS jitter, 1 + floor(random() * %(pool)s)::int AS title_sid, 5 + floor(random() * 4)::int AS lines,
           floor(random() * 20)::int AS outlet
    FROM generate_series(1, %(stories)s) AS s
),
weighted AS (
    SELECT *, CASE WHEN kind < 0.60 THEN floor(u * 3) WHEN kind < 0.90 THEN 3 + floor(u * 9)
                   WHEN kind < 0.98 THEN 12 + floor(u * 8) ELSE 23 + floor(u * 48) END::bigint AS weight
    FROM drawn
),
running AS (
    SELECT *, (sum(weight) OVER (ORDER BY s))::bigint AS upto, (sum(weight) OVER ())::bigint AS total FROM weighted
)
SELECT s,
       1 + coalesce((upto * %(extra)s) / nullif(total, 0) - ((upto - weight) * %(extra)s) / nullif(total, 0), 0)::int
           AS copies,
       %(start)s + power((s - 1 + jitter) / %(stories)s, 0.75) * %(span)s AS base,
       CASE WHEN agency < 0.24 THEN '{}' WHEN agency < 0.50 THEN '{AFP}' WHEN agency < 0.67 THEN '{Reuters}'
            WHEN agency < 0.78 THEN '{AP}' WHEN agency < 0.85 THEN '{QNA}' WHEN agency < 0.90 THEN '{dpa}'
            WHEN agency < 0.94 THEN '{Xinhua}' WHEN agency < 0.98 THEN '{AFP,Reuters}' ELSE '{AP,AFP}' END::text[]
           AS agencies,
       topic < 0.03 AS ukraine,
       CASE WHEN topic < 0.03 THEN 'Kyiv' WHEN place < 0.15 THEN NULL
            ELSE (%(datelines)s::text[])[1 + floor(place * cardinality(%(datelines)s::text[]))::int] END AS dateline,
       title_sid, lines, outlet
FROM running;
ALTER TABLE story_plan ADD PRIMARY KEY (s);
ANALYZE story_plan;
