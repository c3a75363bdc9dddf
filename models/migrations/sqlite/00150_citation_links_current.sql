-- +goose Up
-- Which links belong to a current revision (valid_to = OpenEnd), kept on the
-- link itself so that "the current items citing an instrument, per list" is
-- an index-only scan of the instrument's links instead of a lookup of every
-- revision they name (the impact of a law change at province scale).
ALTER TABLE citation_links ADD COLUMN is_current BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE citation_links SET is_current = TRUE
    WHERE revision_id IN (SELECT id FROM item_revisions WHERE valid_to = 2147483647);
CREATE INDEX citation_links_current ON citation_links (instrument_id, list_id, item_id) WHERE is_current;

-- A link takes its revision's state when written (SQLite has one writer, so
-- no publication can close the revision in between).
-- +goose StatementBegin
CREATE TRIGGER citation_link_current AFTER INSERT ON citation_links
WHEN NEW.revision_id IS NOT NULL BEGIN
    UPDATE citation_links SET is_current = EXISTS (
        SELECT 1 FROM item_revisions WHERE id = NEW.revision_id AND valid_to = 2147483647)
    WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- A revision closed by a publication takes its links with it.
-- +goose StatementBegin
CREATE TRIGGER revision_links_current AFTER UPDATE OF valid_to ON item_revisions
WHEN OLD.valid_to <> NEW.valid_to BEGIN
    UPDATE citation_links SET is_current = (NEW.valid_to = 2147483647) WHERE revision_id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER revision_links_current;
DROP TRIGGER citation_link_current;
DROP INDEX citation_links_current;
ALTER TABLE citation_links DROP COLUMN is_current;
