-- Forget a source's learned lines before storing what a new learning pass found.
DELETE FROM boilerplate_lines WHERE source = %(source)s;
