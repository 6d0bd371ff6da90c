-- Spaced review: one FSRS card per (user, question), and the learner's local
-- day on every attempt so "one schedule change per question per day" and the
-- day streak need no time-zone arithmetic in SQL.
ALTER TABLE attempts ADD COLUMN day TEXT NOT NULL DEFAULT '';
UPDATE attempts SET day = date(at / 1000, 'unixepoch', 'localtime');

-- Streaks and daily counts read distinct days per user.
CREATE INDEX attempts_by_day ON attempts (user_id, day);

CREATE TABLE cards (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id   TEXT    NOT NULL,
    question_id TEXT    NOT NULL,
    state       INTEGER NOT NULL,
    step        INTEGER NOT NULL DEFAULT 0,
    stability   REAL    NOT NULL,
    difficulty  REAL    NOT NULL,
    due         INTEGER NOT NULL,
    last_review INTEGER NOT NULL,
    reps        INTEGER NOT NULL DEFAULT 0,
    lapses      INTEGER NOT NULL DEFAULT 0,
    -- local day (YYYY-MM-DD) of the review that last changed the schedule
    last_day    TEXT    NOT NULL,
    last_rating INTEGER NOT NULL,
    -- the card as it was before last_day's review (JSON), so the learner can
    -- re-rate that review ("that was easy") without compounding it
    prev        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, lesson_id, question_id)
) WITHOUT ROWID;

CREATE INDEX cards_by_due ON cards (user_id, due);
