-- Agency share per outlet in the latest month: of the stories that began that month, what fraction of each
-- outlet's came from AFP, Reuters, AP... (a story credited to two agencies counts for both).
SELECT source, agency, stories, share
FROM wiredesk.agency_share
WHERE month = (SELECT max(month) FROM wiredesk.agency_share)
ORDER BY source, stories DESC, agency;
