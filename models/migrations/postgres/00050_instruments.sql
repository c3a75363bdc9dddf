-- +goose Up
-- The instrument registry (法规库): laws, regulations, rules and documents
-- that legal bases cite. Dates are YYYY-MM-DD text ('' when unknown).
CREATE TABLE instruments (
    id             BIGSERIAL PRIMARY KEY,
    title          TEXT NOT NULL UNIQUE,
    aliases        TEXT NOT NULL DEFAULT '[]',
    level          TEXT NOT NULL,
    issuer         TEXT NOT NULL DEFAULT '',
    doc_number     TEXT NOT NULL DEFAULT '',
    published      TEXT NOT NULL DEFAULT '',
    effective      TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    replaced_by_id BIGINT REFERENCES instruments(id),
    replaced_by    TEXT NOT NULL DEFAULT '',
    source_url     TEXT NOT NULL DEFAULT '',
    confidence     TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

-- The dated events of an instrument: 通过, 公布, 施行, 修正, 修订.
CREATE TABLE instrument_editions (
    id            BIGSERIAL PRIMARY KEY,
    instrument_id BIGINT NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    date          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    UNIQUE (instrument_id, date, kind)
);

-- citation_links: every citation of every item revision (revision_id) and of
-- every change-request operation (operation_id), resolved to an instrument
-- (instrument_id NULL: resolves to nothing). title_key is the normalised
-- title the resolution used, so a registry edit re-resolves without reading
-- the revisions again.
CREATE TABLE citation_links (
    id            BIGSERIAL PRIMARY KEY,
    revision_id   BIGINT REFERENCES item_revisions(id),
    operation_id  BIGINT REFERENCES change_request_operations(id) ON DELETE CASCADE,
    list_id       BIGINT NOT NULL REFERENCES lists(id),
    item_id       BIGINT,
    field         TEXT NOT NULL,
    position      INTEGER NOT NULL,
    level         TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    edition       TEXT NOT NULL DEFAULT '',
    title_key     TEXT NOT NULL DEFAULT '',
    instrument_id BIGINT REFERENCES instruments(id),
    edition_date  TEXT NOT NULL DEFAULT '',
    CHECK ((revision_id IS NULL) <> (operation_id IS NULL))
);
CREATE INDEX citation_links_instrument ON citation_links (instrument_id, list_id, revision_id);
CREATE INDEX citation_links_revision ON citation_links (revision_id);
CREATE INDEX citation_links_operation ON citation_links (operation_id);
CREATE INDEX citation_links_key ON citation_links (title_key);

-- Revisions and operations whose citations are not linked yet (new ones, and
-- every one that existed before the registry).
ALTER TABLE item_revisions ADD COLUMN citations_linked BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX item_revisions_unlinked ON item_revisions (id) WHERE NOT citations_linked;
ALTER TABLE change_request_operations ADD COLUMN citations_linked BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX change_request_operations_unlinked ON change_request_operations (id) WHERE NOT citations_linked;

-- An operation edited in place (its item or basis) is linked again.
-- +goose StatementBegin
CREATE FUNCTION operation_citations_changed() RETURNS trigger AS $$
BEGIN
    IF NEW.item IS DISTINCT FROM OLD.item OR NEW.basis IS DISTINCT FROM OLD.basis THEN
        NEW.citations_linked := FALSE;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER operation_citations_changed BEFORE UPDATE ON change_request_operations
    FOR EACH ROW EXECUTE FUNCTION operation_citations_changed();

-- A recorded change of an instrument (法律法规立改废释), the trigger of revisions.
CREATE TABLE instrument_changes (
    id             BIGSERIAL PRIMARY KEY,
    instrument_id  BIGINT NOT NULL REFERENCES instruments(id),
    kind           TEXT NOT NULL,
    date           TEXT NOT NULL,
    replaced_by_id BIGINT REFERENCES instruments(id),
    note           TEXT NOT NULL DEFAULT '',
    region_code    TEXT NOT NULL DEFAULT '',
    recorder_id    BIGINT NOT NULL REFERENCES users(id),
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX instrument_changes_instrument ON instrument_changes (instrument_id, id);

-- A draft created for a law change: one per change and list.
ALTER TABLE change_requests ADD COLUMN instrument_change_id BIGINT REFERENCES instrument_changes(id);
CREATE UNIQUE INDEX change_requests_instrument_change ON change_requests (instrument_change_id, list_id)
    WHERE instrument_change_id IS NOT NULL;

-- +goose Down
DROP TRIGGER operation_citations_changed ON change_request_operations;
DROP FUNCTION operation_citations_changed();
DROP INDEX change_requests_instrument_change;
ALTER TABLE change_requests DROP COLUMN instrument_change_id;
DROP TABLE instrument_changes;
DROP INDEX change_request_operations_unlinked;
ALTER TABLE change_request_operations DROP COLUMN citations_linked;
DROP INDEX item_revisions_unlinked;
ALTER TABLE item_revisions DROP COLUMN citations_linked;
DROP TABLE citation_links;
DROP TABLE instrument_editions;
DROP TABLE instruments;
