CREATE TEMP TABLE article_plan AS
WITH copies AS (
    SELECT p.s, k, p.agencies, p.dateline, p.outlet,
           p.base + CASE WHEN k = 1 THEN interval '0' ELSE power(random(), 2) * %(spread)s END AS at,
           k > 1 AND random() < 0.3 AS cut, k > 1 AND random() < 0.08 AS uncredited,
           k > 1 AND random() < 0.003 AS undated, random() < 0.03 AS updated, random() AS byline
    FROM story_plan AS p, generate_series(1, p.copies) AS k
),
placed AS (
    SELECT *, least(%(runs)s, greatest(1, ceil(extract(epoch FROM at - %(start)s) / %(run_seconds)s)))::int
              AS first_run
    FROM copies
)
SELECT row_number() OVER (ORDER BY at, s, k) AS n, s, k, at, cut, undated, first_run,
       CASE WHEN updated THEN least(%(runs)s, first_run + 1 + floor(random() * 6)::int) ELSE first_run END
           AS last_run,
       (%(sources)s::text[])[1 + mod(outlet + (k - 1) * 7, cardinality(%(sources)s::text[]))] AS source,
       CASE WHEN uncredited THEN '{}' ELSE agencies END AS agencies,
       CASE WHEN byline < 0.35
            THEN ARRAY[(%(authors)s::text[])[1 + floor(byline / 0.35 * cardinality(%(authors)s::text[]))::int]]
            ELSE '{}' END AS authors,
       dateline
FROM placed;
ALTER TABLE article_plan ADD PRIMARY KEY (n);
ANALYZE article_plan;
