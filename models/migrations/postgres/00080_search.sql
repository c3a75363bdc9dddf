-- +goose Up
-- 全域检索 over the current items of every list. Chinese has no spaces, so
-- word indexes do not serve: queries of three characters or more use pg_trgm
-- trigrams over the searched fields (a partial index of the revisions in
-- force, valid_to = OpenEnd; its expression must stay exactly that of
-- models/search.go, or the planner cannot use it). One or two characters (no
-- trigram) use search_grams: per current revision, name, sub-item and code,
-- indexed by every substring of one or two characters (qd_grams), whose
-- containment (@>) GIN answers exactly. It is a narrow table of its own,
-- kept by triggers, so that counting tens of thousands of matches per list
-- and category reads its small rows instead of the wide revision rows.
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
CREATE TABLE search_grams (
    revision_id BIGINT PRIMARY KEY,
    list_id     BIGINT NOT NULL,
    category    TEXT NOT NULL,
    head        TEXT NOT NULL -- name, sub-item and code; the grams are in the index only
);
CREATE INDEX search_grams_grams ON search_grams USING gin (qd_grams(head));

-- +goose StatementBegin
CREATE FUNCTION search_grams_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE search_grams;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM search_grams WHERE revision_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.valid_to = 2147483647 THEN
        INSERT INTO search_grams (revision_id, list_id, category, head)
        VALUES (NEW.id, NEW.list_id, NEW.category, NEW.name || ' ' || NEW.subitem || ' ' || NEW.code);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER item_revisions_search_grams AFTER INSERT OR UPDATE OR DELETE ON item_revisions
    FOR EACH ROW EXECUTE FUNCTION search_grams_sync();
CREATE TRIGGER item_revisions_search_grams_truncate AFTER TRUNCATE ON item_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION search_grams_sync();
INSERT INTO search_grams (revision_id, list_id, category, head)
    SELECT id, list_id, category, name || ' ' || subitem || ' ' || code
    FROM item_revisions WHERE valid_to = 2147483647;
-- Statistics count current items per list and category without reading them.
CREATE INDEX item_revisions_current_category ON item_revisions (list_id, category)
    WHERE valid_to = 2147483647;
CREATE INDEX change_requests_agency ON change_requests (agency_id);

-- +goose Down
DROP INDEX change_requests_agency;
DROP INDEX item_revisions_current_category;
DROP TRIGGER item_revisions_search_grams_truncate ON item_revisions;
DROP TRIGGER item_revisions_search_grams ON item_revisions;
DROP FUNCTION search_grams_sync();
DROP TABLE search_grams;
DROP FUNCTION qd_grams(text);
DROP INDEX item_revisions_search_trgm;
