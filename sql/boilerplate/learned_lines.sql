-- The learned lines of every source, or of one; most frequent first.
SELECT source, line_key, line, pages, sampled, learned_at
FROM boilerplate_lines
WHERE %(source)s::text IS NULL OR source = %(source)s::text
ORDER BY source, pages DESC, line_key;
