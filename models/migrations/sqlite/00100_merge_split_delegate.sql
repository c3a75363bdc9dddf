-- +goose Up
-- 下放, 合并 and 分设, and the materials 取消, 下放 and 列入 need.

-- merge: the items merged (JSON array of item ids; the operation's item is
-- the new one). split: the items the source becomes (JSON array of item
-- fields). delegate: where to (下放至). supervision: the 事中事后监管措施 of
-- a 取消 or 下放; takeover_plan: the 承接方案 of a 列入.
ALTER TABLE change_request_operations ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';
ALTER TABLE change_request_operations ADD COLUMN parts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE change_request_operations ADD COLUMN delegate_to TEXT NOT NULL DEFAULT '';
ALTER TABLE change_request_operations ADD COLUMN supervision TEXT NOT NULL DEFAULT '';
ALTER TABLE change_request_operations ADD COLUMN takeover_plan TEXT NOT NULL DEFAULT '';

-- An item's lineage: in version, from_item became (part of) to_item — a
-- 合并 (several rows to one new item), a 分设 (one item to several new ones)
-- or a 下放 (the item itself). Timelines follow it both ways; comparisons
-- show each as one change.
CREATE TABLE item_links (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    list_id      BIGINT NOT NULL REFERENCES lists(id),
    version      INTEGER NOT NULL,
    op           TEXT NOT NULL,
    from_item_id BIGINT NOT NULL REFERENCES items(id),
    to_item_id   BIGINT NOT NULL REFERENCES items(id),
    operation_id BIGINT REFERENCES change_request_operations(id)
);
CREATE INDEX item_links_version ON item_links (list_id, version);
CREATE INDEX item_links_from ON item_links (from_item_id);
CREATE INDEX item_links_to ON item_links (to_item_id);

ALTER TABLE list_versions ADD COLUMN merged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE list_versions ADD COLUMN split INTEGER NOT NULL DEFAULT 0;
ALTER TABLE list_versions ADD COLUMN delegated INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE list_versions DROP COLUMN delegated;
ALTER TABLE list_versions DROP COLUMN split;
ALTER TABLE list_versions DROP COLUMN merged;
DROP TABLE item_links;
ALTER TABLE change_request_operations DROP COLUMN takeover_plan;
ALTER TABLE change_request_operations DROP COLUMN supervision;
ALTER TABLE change_request_operations DROP COLUMN delegate_to;
ALTER TABLE change_request_operations DROP COLUMN parts;
ALTER TABLE change_request_operations DROP COLUMN sources;
