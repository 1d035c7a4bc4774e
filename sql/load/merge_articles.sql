-- One merge per batch. The last copy of a key within the batch wins; a row whose content is unchanged is not
-- touched, so its id, last_run_id and updated_at stay as they were. Returns one row per inserted or updated article.
INSERT INTO articles AS a (
    key, source, url, canonical_url, title, body, word_count, authors, agencies, dateline, published_at,
    language, content_hash, raw_document_id, extractor, first_run_id, last_run_id, modified_at,
    published_offset_minutes, publisher, credits
)
SELECT DISTINCT ON (s.key)
       s.key, s.source, s.url, s.canonical_url, s.title, s.body, s.word_count, s.authors, s.agencies, s.dateline,
       s.published_at, s.language, s.content_hash, r.id, s.extractor, %(run_id)s, %(run_id)s,
       s.modified_at, s.published_offset_minutes, s.publisher, s.credits
FROM stage_articles AS s
JOIN raw_documents AS r ON r.sha256 = s.raw_sha256
ORDER BY s.key, s.ordinal DESC
ON CONFLICT (key) DO UPDATE SET
    source = EXCLUDED.source,
    url = EXCLUDED.url,
    canonical_url = EXCLUDED.canonical_url,
    title = EXCLUDED.title,
    body = EXCLUDED.body,
    word_count = EXCLUDED.word_count,
    authors = EXCLUDED.authors,
    agencies = EXCLUDED.agencies,
    dateline = EXCLUDED.dateline,
    published_at = EXCLUDED.published_at,
    language = EXCLUDED.language,
    content_hash = EXCLUDED.content_hash,
    raw_document_id = EXCLUDED.raw_document_id,
    extractor = EXCLUDED.extractor,
    last_run_id = EXCLUDED.last_run_id,
    modified_at = EXCLUDED.modified_at,
    published_offset_minutes = EXCLUDED.published_offset_minutes,
    publisher = EXCLUDED.publisher,
    credits = EXCLUDED.credits,
    updated_at = now()
WHERE (a.source, a.url, a.canonical_url, a.title, a.body, a.authors, a.agencies, a.dateline, a.published_at,
       a.language, a.extractor, a.modified_at, a.published_offset_minutes, a.publisher, a.credits)
      IS DISTINCT FROM
      (EXCLUDED.source, EXCLUDED.url, EXCLUDED.canonical_url, EXCLUDED.title, EXCLUDED.body, EXCLUDED.authors,
       EXCLUDED.agencies, EXCLUDED.dateline, EXCLUDED.published_at, EXCLUDED.language, EXCLUDED.extractor,
       EXCLUDED.modified_at, EXCLUDED.published_offset_minutes, EXCLUDED.publisher, EXCLUDED.credits)
RETURNING (xmax = 0) AS inserted;
