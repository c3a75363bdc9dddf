-- +goose Up
-- Attachments of change requests (批复, 会议纪要, 调整依据, …), kept in the
-- database with the file: backups and replicas carry them, and sha256 lets
-- anyone check that the file downloaded is the one uploaded. content_type is
-- what the server sniffed from the bytes, never what the client claimed.
CREATE TABLE change_request_attachments (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    change_request_id BIGINT NOT NULL REFERENCES change_requests(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    content_type      TEXT NOT NULL,
    size              BIGINT NOT NULL,
    sha256            TEXT NOT NULL,
    data              BLOB NOT NULL,
    uploaded_by       BIGINT NOT NULL REFERENCES users(id),
    created_at        DATETIME NOT NULL
);
CREATE INDEX change_request_attachments_request ON change_request_attachments (change_request_id, id);

-- +goose Down
DROP TABLE change_request_attachments;
