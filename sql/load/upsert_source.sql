INSERT INTO sources (slug, name, domain, timezone, language)
VALUES (%(slug)s, %(name)s, %(domain)s, %(timezone)s, %(language)s)
ON CONFLICT (slug) DO UPDATE SET
    name = EXCLUDED.name,
    domain = EXCLUDED.domain,
    timezone = EXCLUDED.timezone,
    language = EXCLUDED.language,
    updated_at = now()
WHERE (sources.name, sources.domain, sources.timezone, sources.language)
      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.domain, EXCLUDED.timezone, EXCLUDED.language);
