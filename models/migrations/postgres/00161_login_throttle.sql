-- +goose Up
-- The login throttle, shared by every server instance on the database (in
-- memory, each instance behind a load balancer gave N times the attempts).
-- One row per client address (username '': its bucket of attempts,
-- wait_until = when it is full again) and per username and client address
-- (failures, the last one, wait_until = the end of the wait they owe). A row
-- means nothing after expires_at and is deleted then; the server also caps
-- the rows.
CREATE TABLE login_throttle (
    username   TEXT NOT NULL,
    client     TEXT NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0,
    last_at    TIMESTAMPTZ NOT NULL,
    wait_until TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (username, client)
);
CREATE INDEX login_throttle_expires ON login_throttle (expires_at);

-- +goose Down
DROP TABLE login_throttle;
