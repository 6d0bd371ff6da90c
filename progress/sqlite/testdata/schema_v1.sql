-- A progress database as serverside wrote it with migration 0001 only (the
-- walking skeleton), frozen here so the migration test catches any change
-- that would break an existing learner's file. Rollback journal, as a file
-- from an older build that was never opened in WAL mode might be.
CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
);
INSERT INTO schema_migrations VALUES (1, '0001_skeleton.sql', 1767225600000);

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

-- 2026-01-01T00:00:00Z = 1767225600000 ms.
INSERT INTO users VALUES (1, 'ada', 1767225600000), (2, 'grace', 1767225700000);
INSERT INTO attempts (id, user_id, lesson_id, question_id, question_hash, answer, correct, hints_used, at, review) VALUES
    (1, 1, 'http-basics', 'verbs', 'h-verbs', '{"choice":1}', 0, 0, 1767261600000, 0),
    (2, 1, 'http-basics', 'verbs', 'h-verbs', '{"choice":0}', 1, 1, 1767261660000, 0),
    (3, 1, 'http-basics', 'status', 'h-status', '{"text":"404"}', 1, 0, 1767261720000, 0),
    (4, 2, 'http-basics', 'verbs', 'h-verbs', '{"choice":0}', 1, 0, 1767348000000, 1);
INSERT INTO lesson_state VALUES
    (1, 'http-basics', 2, 40, 1767261500000, 1767261800000, 1767261800000, 300),
    (2, 'http-basics', 1, 12, 1767347900000, NULL, 1767348000000, 60);
