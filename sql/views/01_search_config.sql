CREATE OR REPLACE FUNCTION search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE language
        WHEN 'ar' THEN 'arabic' WHEN 'da' THEN 'danish' WHEN 'de' THEN 'german' WHEN 'el' THEN 'greek'
        WHEN 'es' THEN 'spanish' WHEN 'fi' THEN 'finnish' WHEN 'fr' THEN 'french' WHEN 'hi' THEN 'hindi'
        WHEN 'hu' THEN 'hungarian' WHEN 'id' THEN 'indonesian' WHEN 'it' THEN 'italian' WHEN 'nl' THEN 'dutch'
        WHEN 'no' THEN 'norwegian' WHEN 'pt' THEN 'portuguese' WHEN 'ro' THEN 'romanian' WHEN 'ru' THEN 'russian'
        WHEN 'sv' THEN 'swedish' WHEN 'tr' THEN 'turkish'
        ELSE 'english'
    END::regconfig
$$;
COMMENT ON FUNCTION search_config(text) IS 'Text search configuration for an ISO 639-1 language code; english when unknown.';
