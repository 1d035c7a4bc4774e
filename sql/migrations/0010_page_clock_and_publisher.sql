-- The page's own clock and who publishes it. published_at stays one instant (stored in UTC); the offset the page
-- gave it is kept beside it, so "published on the outlet's Monday" is a question the warehouse can answer, and the
-- organisation the page names as its publisher is kept apart from its authors, who are people.
SET search_path = wiredesk;

ALTER TABLE articles
    ADD COLUMN published_offset_minutes smallint CHECK (published_offset_minutes BETWEEN -1080 AND 1080),
    ADD COLUMN published_local timestamp
        GENERATED ALWAYS AS (published_at AT TIME ZONE make_interval(mins => published_offset_minutes)) STORED,
    ADD COLUMN publisher text;
COMMENT ON COLUMN articles.published_offset_minutes IS 'UTC offset, in minutes east of Greenwich, of the clock the page gave its publication time in (180 for Doha, -300 for New York in winter); for a page that states no offset, the outlet''s zone at that instant, or 0 for a page whose outlet is known by its domain alone. NULL when published_at is, and on rows loaded before the offset was kept (re-extract fills it).';
COMMENT ON COLUMN articles.published_local IS 'published_at on the outlet''s own clock (published_at at published_offset_minutes), without a zone: the outlet''s calendar day is published_local::date, its Monday extract(isodow FROM published_local) = 1.';
COMMENT ON COLUMN articles.publisher IS 'The organisation the page says publishes it (JSON-LD publisher, else og:site_name), as it names itself; never an author. NULL when the page does not say.';
