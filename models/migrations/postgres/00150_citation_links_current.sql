-- +goose Up
-- Which links belong to a current revision (valid_to = OpenEnd), kept on the
-- link itself so that "the current items citing an instrument, per list" is
-- an index-only scan of the instrument's links instead of a lookup of every
-- revision they name (the impact of a law change at province scale).
ALTER TABLE citation_links ADD COLUMN is_current BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE citation_links SET is_current = TRUE
    WHERE revision_id IN (SELECT id FROM item_revisions WHERE valid_to = 2147483647);
CREATE INDEX citation_links_current ON citation_links (instrument_id, list_id, item_id) WHERE is_current;

-- A link takes its revision's state when written. The linker claims the
-- revision (a row lock) in the transaction that writes its links, so a
-- publication closing the revision either waits for the links and updates
-- them, or committed first and the links read the closed state.
-- +goose StatementBegin
CREATE FUNCTION citation_link_current() RETURNS trigger AS $$
BEGIN
    NEW.is_current := NEW.revision_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM item_revisions WHERE id = NEW.revision_id AND valid_to = 2147483647);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER citation_link_current BEFORE INSERT ON citation_links
    FOR EACH ROW EXECUTE FUNCTION citation_link_current();

-- A revision closed by a publication takes its links with it.
-- +goose StatementBegin
CREATE FUNCTION revision_links_current() RETURNS trigger AS $$
BEGIN
    UPDATE citation_links SET is_current = (NEW.valid_to = 2147483647) WHERE revision_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER revision_links_current AFTER UPDATE OF valid_to ON item_revisions
    FOR EACH ROW WHEN (OLD.valid_to IS DISTINCT FROM NEW.valid_to) EXECUTE FUNCTION revision_links_current();

-- +goose Down
DROP TRIGGER revision_links_current ON item_revisions;
DROP FUNCTION revision_links_current();
DROP TRIGGER citation_link_current ON citation_links;
DROP FUNCTION citation_link_current();
DROP INDEX citation_links_current;
ALTER TABLE citation_links DROP COLUMN is_current;
