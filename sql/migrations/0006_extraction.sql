-- What HTML extraction adds: the modification time pages declare, and boilerplate learned per outlet.
SET search_path = wiredesk;

ALTER TABLE articles ADD COLUMN modified_at timestamptz;
COMMENT ON COLUMN articles.modified_at IS 'When the page says the story was last modified (JSON-LD dateModified, article:modified_time); NULL when it does not say. Not the row''s updated_at.';

-- Boilerplate learned per outlet: body lines that recur across many pages of one source, removed at extraction.
-- `wiredesk boilerplate learn` replaces a source's rows; `wiredesk boilerplate show` lists them.
CREATE TABLE boilerplate_lines (
    source      text NOT NULL REFERENCES sources (slug) ON UPDATE CASCADE ON DELETE CASCADE,
    line_key    text NOT NULL CHECK (line_key <> ''),
    line        text NOT NULL,
    pages       integer NOT NULL CHECK (pages >= 2),
    sampled     integer NOT NULL CHECK (sampled >= pages),
    learned_at  timestamptz NOT NULL,
    PRIMARY KEY (source, line_key)
);
COMMENT ON TABLE boilerplate_lines IS 'Lines learned as one outlet''s boilerplate (tickers, prompts, footers): seen on many of its pages with different headlines, never learned from one page or across outlets; extraction removes them from that outlet''s bodies.';
COMMENT ON COLUMN boilerplate_lines.source IS 'Outlet the line was learned from and is removed for.';
COMMENT ON COLUMN boilerplate_lines.line_key IS 'The line''s words, lowercased and single-spaced: what body lines are matched on.';
COMMENT ON COLUMN boilerplate_lines.line IS 'The line as first seen, for people.';
COMMENT ON COLUMN boilerplate_lines.pages IS 'How many sampled pages (with distinct headlines) carried the line.';
COMMENT ON COLUMN boilerplate_lines.sampled IS 'How many of the outlet''s most recent pages were sampled.';
COMMENT ON COLUMN boilerplate_lines.learned_at IS 'When the line was learned.';
