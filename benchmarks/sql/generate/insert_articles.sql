INSERT INTO articles (id, key, source, title, body, word_count, authors, agencies, dateline, published_at, language,
                      content_hash, raw_document_id, extractor, first_run_id, last_run_id, created_at, updated_at,
                      story_id)
OVERRIDING SYSTEM VALUE
SELECT p.n, 'generated:' || p.n, p.source, t.title,
       CASE WHEN p.cut THEN t.cut_body ELSE t.full_body END,
       CASE WHEN p.cut THEN t.cut_words ELSE t.full_words END,
       p.authors, p.agencies, p.dateline, CASE WHEN p.undated THEN NULL ELSE p.at END, 'en',
       CASE WHEN p.cut THEN t.cut_hash ELSE t.full_hash END,
       p.n, 'generated', p.first_run, p.last_run,
       f.started_at + interval '2 minutes', l.started_at + interval '2 minutes', p.s
FROM article_plan AS p
JOIN story_text AS t USING (s)
JOIN ingest_runs AS f ON f.id = p.first_run
JOIN ingest_runs AS l ON l.id = p.last_run
ORDER BY p.n
