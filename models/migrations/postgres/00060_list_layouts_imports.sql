-- +goose Up
-- A list keeps the columns of the file it was imported from; an item keeps
-- the cells of the columns that map to no field (extra), by header.
ALTER TABLE lists ADD COLUMN layout TEXT;
ALTER TABLE item_revisions ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';

-- An uploaded list awaiting confirmation: the file and the column mapping
-- the administrator chose, so a preview can be re-read and confirmed by any
-- instance. The agency is created when the list is confirmed.
CREATE TABLE imports (
    id          BIGSERIAL PRIMARY KEY,
    agency_name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    kind        TEXT NOT NULL DEFAULT '',
    sheet       TEXT NOT NULL DEFAULT '',
    file_name   TEXT NOT NULL,
    data        BYTEA NOT NULL,
    mapping     TEXT NOT NULL DEFAULT '',
    created_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  TIMESTAMPTZ NOT NULL,
    list_id     BIGINT REFERENCES lists(id)
);

-- +goose Down
DROP TABLE imports;
ALTER TABLE item_revisions DROP COLUMN extra;
ALTER TABLE lists DROP COLUMN layout;
