SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';
SET synchronous_commit = off;
SELECT setseed(0.42);
