-- One learned line of a source.
INSERT INTO boilerplate_lines (source, line_key, line, pages, sampled, learned_at)
VALUES (%(source)s, %(key)s, %(text)s, %(pages)s, %(sampled)s, %(learned_at)s);
