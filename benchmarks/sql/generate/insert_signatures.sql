INSERT INTO article_signatures (article_id, algorithm, content_hash, shingles, minhash)
SELECT id, 'generated', content_hash, greatest(word_count - 4, 0),
       decode(left(repeat(md5(story_id::text), 32), 848)
              || left(repeat(md5(story_id || ':' || word_count), 32), 160), 'hex')
FROM articles
