-- +goose Up
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    parent_code TEXT REFERENCES regions(code),
    level       TEXT NOT NULL
);

CREATE TABLE agencies (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    UNIQUE (region_code, name)
);

CREATE TABLE lists (
    id              BIGSERIAL PRIMARY KEY,
    agency_id       BIGINT NOT NULL REFERENCES agencies(id),
    title           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    current_version INTEGER NOT NULL DEFAULT 0,
    source_sha256   TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (agency_id, kind)
);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    agency_id     BIGINT REFERENCES agencies(id),
    region_code   TEXT REFERENCES regions(code),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE change_requests (
    id                BIGSERIAL PRIMARY KEY,
    list_id           BIGINT NOT NULL REFERENCES lists(id),
    agency_id         BIGINT NOT NULL REFERENCES agencies(id),
    base_version      INTEGER NOT NULL,
    title             TEXT NOT NULL,
    reason            TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    submitter_id      BIGINT NOT NULL REFERENCES users(id),
    published_version INTEGER,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX change_requests_list_state ON change_requests (list_id, state);
CREATE INDEX change_requests_state ON change_requests (state);

CREATE TABLE change_request_operations (
    id                BIGSERIAL PRIMARY KEY,
    change_request_id BIGINT NOT NULL REFERENCES change_requests(id) ON DELETE CASCADE,
    op                TEXT NOT NULL,
    item_id           BIGINT,
    source            TEXT NOT NULL DEFAULT '',
    item              TEXT NOT NULL DEFAULT '{}',
    reason            TEXT NOT NULL DEFAULT '',
    basis             TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX change_request_operations_cr ON change_request_operations (change_request_id);

CREATE TABLE change_request_events (
    id                BIGSERIAL PRIMARY KEY,
    change_request_id BIGINT NOT NULL REFERENCES change_requests(id) ON DELETE CASCADE,
    version           INTEGER NOT NULL,
    event             TEXT NOT NULL,
    from_state        TEXT NOT NULL,
    to_state          TEXT NOT NULL,
    actor_id          BIGINT NOT NULL REFERENCES users(id),
    comment           TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (change_request_id, version)
);

CREATE TABLE list_versions (
    id                BIGSERIAL PRIMARY KEY,
    list_id           BIGINT NOT NULL REFERENCES lists(id),
    number            INTEGER NOT NULL,
    published_at      TIMESTAMPTZ NOT NULL,
    change_request_id BIGINT REFERENCES change_requests(id),
    item_count        INTEGER NOT NULL,
    added             INTEGER NOT NULL DEFAULT 0,
    included          INTEGER NOT NULL DEFAULT 0,
    modified          INTEGER NOT NULL DEFAULT 0,
    recategorized     INTEGER NOT NULL DEFAULT 0,
    removed           INTEGER NOT NULL DEFAULT 0,
    import_report     TEXT NOT NULL DEFAULT '',
    UNIQUE (list_id, number)
);
CREATE INDEX list_versions_published ON list_versions (list_id, published_at);

CREATE TABLE items (
    id         BIGSERIAL PRIMARY KEY,
    list_id    BIGINT NOT NULL REFERENCES lists(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX items_list ON items (list_id);

-- A revision is valid for versions [valid_from, valid_to); valid_to 2147483647
-- means "still current", so one range predicate serves every version.
CREATE TABLE item_revisions (
    id                   BIGSERIAL PRIMARY KEY,
    item_id              BIGINT NOT NULL REFERENCES items(id),
    list_id              BIGINT NOT NULL REFERENCES lists(id),
    valid_from           INTEGER NOT NULL,
    valid_to             INTEGER NOT NULL DEFAULT 2147483647,
    position             INTEGER NOT NULL,
    op                   TEXT NOT NULL,
    change_request_id    BIGINT REFERENCES change_requests(id),
    operation_id         BIGINT REFERENCES change_request_operations(id),
    prev_code            TEXT NOT NULL DEFAULT '',
    seq                  INTEGER NOT NULL,
    code                 TEXT NOT NULL DEFAULT '',
    name                 TEXT NOT NULL,
    subitem              TEXT NOT NULL DEFAULT '',
    category             TEXT NOT NULL,
    department           TEXT NOT NULL DEFAULT '',
    basis                TEXT NOT NULL DEFAULT '',
    citations            TEXT NOT NULL DEFAULT '[]',
    level                TEXT NOT NULL DEFAULT '',
    content              TEXT NOT NULL DEFAULT '',
    duty                 TEXT NOT NULL DEFAULT '',
    responsibility       TEXT NOT NULL DEFAULT '',
    responsibility_basis TEXT NOT NULL DEFAULT '',
    accountable          TEXT NOT NULL DEFAULT '',
    accountability       TEXT NOT NULL DEFAULT '',
    note                 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX item_revisions_from ON item_revisions (list_id, valid_from, valid_to);
CREATE INDEX item_revisions_to ON item_revisions (list_id, valid_to, valid_from);
CREATE INDEX item_revisions_item ON item_revisions (item_id, valid_from);

CREATE TABLE audit_events (
    id          BIGSERIAL PRIMARY KEY,
    created_at  TIMESTAMPTZ NOT NULL,
    actor_id    BIGINT,
    actor       TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id   TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL DEFAULT '',
    before      TEXT NOT NULL DEFAULT '',
    after       TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_events_region ON audit_events (region_code, id);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE item_revisions;
DROP TABLE items;
DROP TABLE list_versions;
DROP TABLE change_request_events;
DROP TABLE change_request_operations;
DROP TABLE change_requests;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE lists;
DROP TABLE agencies;
DROP TABLE regions;
