-- The walking skeleton: who is learning, what they answered, and where they
-- are in each lesson. Times are Unix milliseconds.
CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE attempts (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id     TEXT    NOT NULL,
    question_id   TEXT    NOT NULL,
    question_hash TEXT    NOT NULL DEFAULT '',
    answer        TEXT    NOT NULL,
    correct       INTEGER NOT NULL CHECK (correct IN (0, 1)),
    hints_used    INTEGER NOT NULL DEFAULT 0 CHECK (hints_used >= 0),
    at            INTEGER NOT NULL,
    review        INTEGER NOT NULL DEFAULT 0 CHECK (review IN (0, 1))
);

CREATE INDEX attempts_by_lesson ON attempts (user_id, lesson_id, question_id, at);

CREATE TABLE lesson_state (
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id    TEXT    NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),
    scroll       INTEGER NOT NULL DEFAULT 0,
    started_at   INTEGER,
    completed_at INTEGER,
    seen_at      INTEGER,
    seconds      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, lesson_id)
) WITHOUT ROWID;
