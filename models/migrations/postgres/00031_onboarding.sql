-- +goose Up
-- Agencies are deactivated, never deleted (their lists keep their history).
ALTER TABLE agencies ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX agencies_kind ON agencies (kind, region_code);
-- A password an administrator set is temporary until its user sets their own.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX regions_parent ON regions (parent_code, code);

-- +goose Down
DROP INDEX regions_parent;
ALTER TABLE users DROP COLUMN must_change_password;
DROP INDEX agencies_kind;
ALTER TABLE agencies DROP COLUMN active;
