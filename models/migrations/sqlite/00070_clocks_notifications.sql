-- +goose Up
-- Working-day clocks, 督办 and notifications.

-- The day the reason for a change arose (a law changed, an upper level
-- decided), YYYY-MM-DD: the 申请 limit counts from it.
ALTER TABLE change_requests ADD COLUMN trigger_date TEXT;

-- Days administrators enter on top of the shipped notices: a next year's
-- national notice (region_code ''), or a region's own days, which apply to
-- every region under that code. day is YYYY-MM-DD.
CREATE TABLE calendar_days (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code TEXT NOT NULL DEFAULT '',
    day         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    basis       TEXT NOT NULL DEFAULT '',
    created_by  BIGINT REFERENCES users(id),
    created_at  DATETIME NOT NULL,
    UNIQUE (region_code, day)
);

-- A region's process setting as JSON. Today it holds the working-day limits
-- ({"limits":{"apply":20,"review":15,"publish":3}}); the configurable
-- process (reviews, approval_ops) joins them in the same document.
CREATE TABLE region_processes (
    region_code TEXT PRIMARY KEY REFERENCES regions(code),
    setting     TEXT NOT NULL DEFAULT '{}',
    updated_by  BIGINT REFERENCES users(id),
    updated_at  DATETIME NOT NULL
);

-- The in-app message centre.
CREATE TABLE notifications (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           BIGINT NOT NULL REFERENCES users(id),
    kind              TEXT NOT NULL,
    change_request_id BIGINT REFERENCES change_requests(id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    body              TEXT NOT NULL DEFAULT '',
    created_at        DATETIME NOT NULL,
    read_at           DATETIME
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);
CREATE INDEX notifications_request ON notifications (change_request_id);

-- Where a user's notifications are also e-mailed (when SMTP is configured).
CREATE TABLE notification_settings (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id),
    email      TEXT NOT NULL DEFAULT '',
    updated_at DATETIME NOT NULL
);

-- One row per due-date reminder sent: the unique key is what makes a
-- reminder go out once, whichever instance and however often it scans.
-- step_key names the step's entry (a return and resubmission is a new step).
CREATE TABLE reminders (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    change_request_id BIGINT NOT NULL REFERENCES change_requests(id) ON DELETE CASCADE,
    step_key          TEXT NOT NULL,
    kind              TEXT NOT NULL,
    created_at        DATETIME NOT NULL,
    UNIQUE (change_request_id, step_key, kind)
);

-- The job queue every instance works from: a job is claimed by a lease
-- (locked_by, locked_until), so it runs on one instance at a time and runs
-- again only if that instance died; unique_key keeps a periodic job to one
-- row per period.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    unique_key   TEXT UNIQUE,
    payload      TEXT NOT NULL DEFAULT '{}',
    run_at       DATETIME NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    locked_by    TEXT NOT NULL DEFAULT '',
    locked_until DATETIME,
    done_at      DATETIME,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL
);
CREATE INDEX jobs_due ON jobs (done_at, run_at);

-- +goose Down
DROP TABLE jobs;
DROP TABLE reminders;
DROP TABLE notification_settings;
DROP TABLE notifications;
DROP TABLE region_processes;
DROP TABLE calendar_days;
ALTER TABLE change_requests DROP COLUMN trigger_date;
