UPDATE ingest_runs SET
    deduped_count = deduped_count + %(articles)s,
    duplicate_count = duplicate_count + %(duplicates)s,
    new_story_count = new_story_count + %(new_stories)s,
    merged_story_count = merged_story_count + %(merged_stories)s
WHERE id = %(run_id)s;
