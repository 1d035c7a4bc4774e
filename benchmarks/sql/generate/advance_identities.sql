SELECT setval(pg_get_serial_sequence('ingest_runs', 'id'), (SELECT max(id) FROM ingest_runs));
SELECT setval(pg_get_serial_sequence('raw_documents', 'id'), (SELECT max(id) FROM raw_documents));
SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles));
SELECT setval(pg_get_serial_sequence('stories', 'id'), (SELECT max(id) FROM stories));
DROP TABLE vocabulary, sentences, story_plan, story_text, article_plan, reject_plan;
