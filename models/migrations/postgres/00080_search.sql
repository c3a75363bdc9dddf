-- +goose Up
-- 全域检索 over the current items of every list. Chinese has no spaces, so
-- word indexes do not serve: queries of three characters or more use pg_trgm
-- trigrams over the searched fields; one or two characters (no trigram) use
-- qd_grams, every one and two characters of name, sub-item and code, whose
-- containment (@>) GIN answers exactly, without re-reading the text. Both
-- indexes are partial: only revisions in force (valid_to = OpenEnd) are
-- searched. The expressions must stay exactly those of models/search.go, or
-- the planner cannot use them.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX item_revisions_search_trgm ON item_revisions
    USING gin ((name || ' ' || subitem || ' ' || code || ' ' || content || ' ' || basis) gin_trgm_ops)
    WHERE valid_to = 2147483647;
-- +goose StatementBegin
CREATE FUNCTION qd_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
        SELECT substr(t, i, 1) AS g FROM generate_series(1, length(t)) AS i
        UNION ALL
        SELECT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i) AS grams
$$;
-- +goose StatementEnd
CREATE INDEX item_revisions_search_grams ON item_revisions
    USING gin (qd_grams(name || ' ' || subitem || ' ' || code))
    WHERE valid_to = 2147483647;
-- Statistics count current items per list and category without reading them.
CREATE INDEX item_revisions_current_category ON item_revisions (list_id, category)
    WHERE valid_to = 2147483647;
CREATE INDEX change_requests_agency ON change_requests (agency_id);

-- +goose Down
DROP INDEX change_requests_agency;
DROP INDEX item_revisions_current_category;
DROP INDEX item_revisions_search_grams;
DROP FUNCTION qd_grams(text);
DROP INDEX item_revisions_search_trgm;
