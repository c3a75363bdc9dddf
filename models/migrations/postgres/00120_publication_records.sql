-- +goose Up
-- Every version records the document that decided it (文号, e.g.
-- 红政函〔2026〕12号) and its 公布日期 (YYYY-MM-DD, Beijing), as a published
-- list cites them; a 集中调整 — several approved requests of one list
-- published together as one version — also carries its name (2026年第二批).
-- The requests of a version are those whose published_version is its number
-- (change_request_id stays the one request of a single publication, NULL
-- for a batch and for the import).
ALTER TABLE list_versions ADD COLUMN doc_number TEXT NOT NULL DEFAULT '';
ALTER TABLE list_versions ADD COLUMN publish_date TEXT NOT NULL DEFAULT '';
ALTER TABLE list_versions ADD COLUMN batch_name TEXT NOT NULL DEFAULT '';
UPDATE list_versions SET publish_date = to_char(published_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD');
CREATE INDEX change_requests_published_version ON change_requests (list_id, published_version);

-- +goose Down
DROP INDEX change_requests_published_version;
ALTER TABLE list_versions DROP COLUMN batch_name;
ALTER TABLE list_versions DROP COLUMN publish_date;
ALTER TABLE list_versions DROP COLUMN doc_number;
