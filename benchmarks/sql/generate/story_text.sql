CREATE TEMP TABLE story_text AS
WITH picks AS (
    SELECT p.s, p.ukraine, p.lines, pos, 1 + floor(random() * %(pool)s)::int AS sid
    FROM story_plan AS p, generate_series(1, p.lines) AS pos
),
lines AS (
    SELECT k.s, k.pos, k.lines,
           x.plain || CASE WHEN k.ukraine AND k.pos = 1 THEN ' in Ukraine' ELSE '' END AS plain,
           x.words + CASE WHEN k.ukraine AND k.pos = 1 THEN 2 ELSE 0 END AS words
    FROM picks AS k JOIN sentences AS x USING (sid)
)
SELECT s,
       string_agg(plain || '.', CASE WHEN mod(pos, 3) = 1 THEN %(paragraph)s ELSE ' ' END ORDER BY pos) AS full_body,
       string_agg(plain || '.', CASE WHEN mod(pos, 3) = 1 THEN %(paragraph)s ELSE ' ' END ORDER BY pos)
           FILTER (WHERE pos < lines) AS cut_body,
       sum(words)::int AS full_words,
       (sum(words) FILTER (WHERE pos < lines))::int AS cut_words,
       encode(sha256(convert_to(lower(string_agg(plain, ' ' ORDER BY pos)), 'UTF8')), 'hex') AS full_hash,
       encode(sha256(convert_to(lower(string_agg(plain, ' ' ORDER BY pos) FILTER (WHERE pos < lines)), 'UTF8')),
              'hex') AS cut_hash
FROM lines
GROUP BY s;
ALTER TABLE story_text ADD COLUMN title text;
UPDATE story_text AS t
SET title = CASE WHEN p.ukraine THEN 'Ukraine: ' ELSE '' END
            || array_to_string((string_to_array(x.plain, ' '))[1:9], ' ')
FROM story_plan AS p JOIN sentences AS x ON x.sid = p.title_sid
WHERE p.s = t.s;
ALTER TABLE story_text ADD PRIMARY KEY (s);
ANALYZE story_text;
