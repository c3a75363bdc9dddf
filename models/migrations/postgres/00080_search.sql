-- +goose Up
-- 全域检索 over the current items of every list. Chinese has no spaces, so
-- word indexes do not serve: queries of three characters or more use pg_trgm
-- trigrams over the searched fields; one or two characters (no trigram) use
-- the characters of name, sub-item and code as single-character words, which
-- a phrase query finds adjacent. Both indexes are partial: only revisions in
-- force (valid_to = OpenEnd) are searched. The expressions must stay exactly
-- those of models/search.go, or the planner cannot use them.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX item_revisions_search_trgm ON item_revisions
    USING gin ((name || ' ' || subitem || ' ' || code || ' ' || content || ' ' || basis) gin_trgm_ops)
    WHERE valid_to = 2147483647;
CREATE INDEX item_revisions_search_chars ON item_revisions
    USING gin (to_tsvector('simple', regexp_replace(name || ' ' || subitem || ' ' || code, '(.)', '\1 ', 'g')))
    WHERE valid_to = 2147483647;
-- Statistics count current items per list and category without reading them.
CREATE INDEX item_revisions_current_category ON item_revisions (list_id, category)
    WHERE valid_to = 2147483647;
CREATE INDEX change_requests_agency ON change_requests (agency_id);

-- +goose Down
DROP INDEX change_requests_agency;
DROP INDEX item_revisions_current_category;
DROP INDEX item_revisions_search_chars;
DROP INDEX item_revisions_search_trgm;
