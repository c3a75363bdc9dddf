-- +goose Up
-- How a list arranges a version: its categories in the order of its source
-- (JSON array of the names as version 1 wrote them) and whether 序号 restarts
-- in each category ('category') or runs through the list ('list').
ALTER TABLE lists ADD COLUMN category_order TEXT NOT NULL DEFAULT '[]';
ALTER TABLE lists ADD COLUMN seq_scope TEXT NOT NULL DEFAULT 'category';
UPDATE lists SET category_order = COALESCE((
    SELECT json_agg(c.category ORDER BY c.first)::text FROM (
        SELECT category, MIN(position) AS first FROM item_revisions
        WHERE list_id = lists.id AND valid_from = 1 GROUP BY category) c), '[]');
-- Continuous numbering: several categories, but 序号 1 in at most one of them.
UPDATE lists SET seq_scope = 'list'
WHERE (SELECT COUNT(DISTINCT category) FROM item_revisions WHERE list_id = lists.id AND valid_from = 1) > 1
  AND (SELECT COUNT(DISTINCT category) FROM item_revisions WHERE list_id = lists.id AND valid_from = 1 AND seq = 1) <= 1;

-- Where an added, included or recategorised item goes in its category:
-- NULL at the end, 0 first, otherwise after that item.
ALTER TABLE change_request_operations ADD COLUMN after_item_id BIGINT;

-- Positions get room for many insertions between two neighbours.
ALTER TABLE item_revisions ALTER COLUMN position TYPE BIGINT;
UPDATE item_revisions SET position = position * 1048576;

-- +goose Down
UPDATE item_revisions SET position = position / 1048576;
ALTER TABLE item_revisions ALTER COLUMN position TYPE INTEGER;
ALTER TABLE change_request_operations DROP COLUMN after_item_id;
ALTER TABLE lists DROP COLUMN seq_scope;
ALTER TABLE lists DROP COLUMN category_order;
