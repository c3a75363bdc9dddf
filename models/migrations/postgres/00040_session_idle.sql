-- +goose Up
-- Sessions end after a time without use besides their absolute lifetime.
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMPTZ;
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE sessions ALTER COLUMN last_seen_at SET NOT NULL;

-- +goose Down
ALTER TABLE sessions DROP COLUMN last_seen_at;
