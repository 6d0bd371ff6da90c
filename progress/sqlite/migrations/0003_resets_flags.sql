-- Resets keep what they clear so the last one can be undone exactly, and
-- flags let a learner tell the instructor a question looks wrong.
CREATE TABLE resets (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id TEXT    NOT NULL DEFAULT '', -- '' resets every lesson
    at        INTEGER NOT NULL,
    undone_at INTEGER
);

CREATE INDEX resets_by_user ON resets (user_id, id);

ALTER TABLE attempts ADD COLUMN reset_id INTEGER REFERENCES resets(id);

-- Rows cleared by a reset, restored by undo.
CREATE TABLE reset_lesson_state (
    reset_id     INTEGER NOT NULL REFERENCES resets(id) ON DELETE CASCADE,
    lesson_id    TEXT    NOT NULL,
    status       INTEGER NOT NULL,
    scroll       INTEGER NOT NULL,
    started_at   INTEGER,
    completed_at INTEGER,
    seen_at      INTEGER,
    seconds      INTEGER NOT NULL,
    PRIMARY KEY (reset_id, lesson_id)
) WITHOUT ROWID;

CREATE TABLE reset_cards (
    reset_id    INTEGER NOT NULL REFERENCES resets(id) ON DELETE CASCADE,
    lesson_id   TEXT    NOT NULL,
    question_id TEXT    NOT NULL,
    state       INTEGER NOT NULL,
    step        INTEGER NOT NULL,
    stability   REAL    NOT NULL,
    difficulty  REAL    NOT NULL,
    due         INTEGER NOT NULL,
    last_review INTEGER NOT NULL,
    reps        INTEGER NOT NULL,
    lapses      INTEGER NOT NULL,
    last_day    TEXT    NOT NULL,
    last_rating INTEGER NOT NULL,
    prev        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (reset_id, lesson_id, question_id)
) WITHOUT ROWID;

CREATE TABLE flags (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id   TEXT    NOT NULL,
    question_id TEXT    NOT NULL,
    comment     TEXT    NOT NULL,
    at          INTEGER NOT NULL
);

CREATE INDEX flags_by_lesson ON flags (lesson_id, question_id);
