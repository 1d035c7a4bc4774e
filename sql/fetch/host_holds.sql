-- The hosts still asking (Retry-After) not to be asked, and until when.
SELECT host, held_until
FROM host_holds
WHERE held_until > now();
