-- The last check of each build lab a learner ran (the TUI or `serverside
-- check`): one row a lab, replaced by each check.
CREATE TABLE lab_builds (
    user_id    bigint      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id  text        NOT NULL,
    lab_id     text        NOT NULL,
    addr       text        NOT NULL,
    passed     boolean     NOT NULL,
    stages     jsonb       NOT NULL, -- [{"id": "...", "ran": true, "passed": false}, ...] in stage order
    failure    text        NOT NULL,
    checked_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, lesson_id, lab_id)
);
