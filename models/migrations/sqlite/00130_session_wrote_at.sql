-- +goose Up
-- A session's last write: its reads go to the primary database for a while
-- after it, not to a read replica that may not have replayed it yet.
ALTER TABLE sessions ADD COLUMN wrote_at DATETIME;

-- +goose Down
ALTER TABLE sessions DROP COLUMN wrote_at;
