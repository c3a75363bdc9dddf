-- +goose Up
-- 全域检索 over the current items of every list, in two FTS5 indexes kept by
-- triggers (contentless: the text stays in item_revisions only, the rowid is
-- the revision's id). search_trigrams: the trigram tokenizer, for queries of
-- three characters or more over name, sub-item, code, content and basis.
-- search_chars: name, sub-item and code with every character a word
-- (qd_spaced, registered by models), for one or two characters, which a
-- phrase query finds adjacent; trigrams cannot serve them.
CREATE VIRTUAL TABLE search_trigrams USING fts5(name, subitem, code, content, basis,
    tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE search_chars USING fts5(head,
    tokenize = 'unicode61 remove_diacritics 0', content = '', contentless_delete = 1);

-- +goose StatementBegin
CREATE TRIGGER item_revisions_search_insert AFTER INSERT ON item_revisions
WHEN NEW.valid_to = 2147483647 BEGIN
    INSERT INTO search_trigrams (rowid, name, subitem, code, content, basis)
        VALUES (NEW.id, NEW.name, NEW.subitem, NEW.code, NEW.content, NEW.basis);
    INSERT INTO search_chars (rowid, head)
        VALUES (NEW.id, qd_spaced(NEW.name || ' ' || NEW.subitem || ' ' || NEW.code));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER item_revisions_search_close AFTER UPDATE OF valid_to ON item_revisions
WHEN OLD.valid_to = 2147483647 AND NEW.valid_to <> 2147483647 BEGIN
    DELETE FROM search_trigrams WHERE rowid = OLD.id;
    DELETE FROM search_chars WHERE rowid = OLD.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER item_revisions_search_delete AFTER DELETE ON item_revisions
WHEN OLD.valid_to = 2147483647 BEGIN
    DELETE FROM search_trigrams WHERE rowid = OLD.id;
    DELETE FROM search_chars WHERE rowid = OLD.id;
END;
-- +goose StatementEnd

INSERT INTO search_trigrams (rowid, name, subitem, code, content, basis)
    SELECT id, name, subitem, code, content, basis FROM item_revisions WHERE valid_to = 2147483647;
INSERT INTO search_chars (rowid, head)
    SELECT id, qd_spaced(name || ' ' || subitem || ' ' || code) FROM item_revisions WHERE valid_to = 2147483647;

-- Statistics count current items per list and category without reading them.
CREATE INDEX item_revisions_current_category ON item_revisions (list_id, category)
    WHERE valid_to = 2147483647;
CREATE INDEX change_requests_agency ON change_requests (agency_id);

-- +goose Down
DROP INDEX change_requests_agency;
DROP INDEX item_revisions_current_category;
DROP TRIGGER item_revisions_search_delete;
DROP TRIGGER item_revisions_search_close;
DROP TRIGGER item_revisions_search_insert;
DROP TABLE search_chars;
DROP TABLE search_trigrams;
