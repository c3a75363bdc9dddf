-- +goose Up
-- Operations keep their number within their request: deleting one does not
-- renumber the rest, so a reviewer's "操作3" still means the same operation.
-- op_seq is the last number given; a deleted number is never reused.
ALTER TABLE change_request_operations ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE change_request_operations SET number = (
    SELECT COUNT(*) FROM change_request_operations o
    WHERE o.change_request_id = change_request_operations.change_request_id AND o.id <= change_request_operations.id);
CREATE UNIQUE INDEX change_request_operations_number ON change_request_operations (change_request_id, number);
ALTER TABLE change_requests ADD COLUMN op_seq INTEGER NOT NULL DEFAULT 0;
UPDATE change_requests SET op_seq = COALESCE(
    (SELECT MAX(number) FROM change_request_operations o WHERE o.change_request_id = change_requests.id), 0);

-- A return records the operations as they were, so the reviewer later sees
-- what the submitter changed since (JSON; empty for other events).
ALTER TABLE change_request_events ADD COLUMN operations TEXT NOT NULL DEFAULT '';

-- 撤回 now pulls a request back to the drafter; ending one for good is 作废.
-- What was recorded as a withdrawal ended the request: it is a cancellation.
UPDATE change_requests SET state = 'cancelled' WHERE state = 'withdrawn';
UPDATE change_request_events SET event = 'cancel', to_state = 'cancelled' WHERE event = 'withdraw' AND to_state = 'withdrawn';

-- An operation's item.note is now the submitter's own 备注 (empty: the note
-- the operation writes); a modify used to carry its target's old note there.
UPDATE change_request_operations SET item = jsonb_set(item::jsonb, '{note}', '""')::text
WHERE op = 'modify' AND change_request_id IN (
    SELECT id FROM change_requests WHERE state IN ('draft', 'returned', 'legal_review', 'approval', 'approved'));

-- +goose Down
UPDATE change_request_events SET event = 'withdraw', to_state = 'withdrawn' WHERE event = 'cancel';
UPDATE change_requests SET state = 'withdrawn' WHERE state = 'cancelled';
ALTER TABLE change_request_events DROP COLUMN operations;
ALTER TABLE change_requests DROP COLUMN op_seq;
DROP INDEX change_request_operations_number;
ALTER TABLE change_request_operations DROP COLUMN number;
