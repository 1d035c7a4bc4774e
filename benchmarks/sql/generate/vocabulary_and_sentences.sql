CREATE TEMP TABLE vocabulary (i integer PRIMARY KEY, word text NOT NULL);
INSERT INTO vocabulary SELECT n, w FROM unnest(%(words)s::text[]) WITH ORDINALITY AS t (w, n);
ANALYZE vocabulary;
CREATE TEMP TABLE sentences AS
WITH lengths AS (SELECT sid, 6 + floor(random() * 15)::int AS words FROM generate_series(1, %(pool)s) AS sid),
draws AS (
    SELECT sid, pos, 1 + floor(random() * %(vocabulary)s)::int AS i
    FROM lengths, generate_series(1, lengths.words) AS pos
)
SELECT d.sid,
       string_agg(CASE WHEN pos = 1 THEN upper(left(v.word, 1)) || substr(v.word, 2) ELSE v.word END, ' '
                  ORDER BY pos) AS plain,
       count(*)::int AS words
FROM draws AS d JOIN vocabulary AS v USING (i)
GROUP BY d.sid;
ALTER TABLE sentences ADD PRIMARY KEY (sid);
ANALYZE sentences;
