-- The last check of each build lab a learner ran, from the TUI or from
-- `serverside check`: the address checked and how each stage went, so the
-- lab screen shows it again on the next visit. One row a lab, replaced by
-- each check. Times are Unix milliseconds.
CREATE TABLE lab_builds (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id  TEXT    NOT NULL,
    lab_id     TEXT    NOT NULL,
    addr       TEXT    NOT NULL,
    passed     INTEGER NOT NULL,
    -- JSON: [{"id": "...", "ran": true, "passed": false}, ...] in stage order
    stages     TEXT    NOT NULL,
    -- the failing stage's report as the learner saw it, or ''
    failure    TEXT    NOT NULL,
    checked_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, lesson_id, lab_id)
) WITHOUT ROWID;
