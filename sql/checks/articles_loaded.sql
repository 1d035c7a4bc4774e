-- Articles the night has: none means the sources listed nothing new or every page failed.
SELECT count(*) FROM night_articles;
