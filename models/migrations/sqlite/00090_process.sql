-- +goose Up
-- The configurable process (流程设置) and 会签.

-- The process a request was submitted under (JSON, the region's setting at
-- its last submission): a later change of the region's setting does not move
-- a request already on its way. NULL: never submitted under a configured
-- process (today's single path).
ALTER TABLE change_requests ADD COLUMN process TEXT;

-- Which review a pass, return or reject was for (staffing, legal): in a
-- joint review (两审并行) both reviewers act in one state, and each
-- sign-off is an event of its own.
ALTER TABLE change_request_events ADD COLUMN review TEXT NOT NULL DEFAULT '';

-- 会签: another agency whose power a request touches gives its opinion
-- before review starts. round is the version of the submission that asked
-- for it (a resubmission asks again); answer is '' until given, then
-- agree or disagree.
CREATE TABLE countersigns (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    change_request_id BIGINT NOT NULL REFERENCES change_requests(id) ON DELETE CASCADE,
    round             INTEGER NOT NULL,
    agency_id         BIGINT NOT NULL REFERENCES agencies(id),
    reason            TEXT NOT NULL,
    answer            TEXT NOT NULL DEFAULT '',
    opinion           TEXT NOT NULL DEFAULT '',
    answered_by       BIGINT REFERENCES users(id),
    answered_at       DATETIME,
    created_at        DATETIME NOT NULL,
    UNIQUE (change_request_id, round, agency_id)
);
CREATE INDEX countersigns_agency ON countersigns (agency_id, answer);

-- +goose Down
DROP TABLE countersigns;
ALTER TABLE change_request_events DROP COLUMN review;
ALTER TABLE change_requests DROP COLUMN process;
