-- One row per (user, question) answered, kept up to date with every answer,
-- reset and import: stats and the class report read these few hundred
-- thousand rows instead of aggregating millions of attempts. Counts skip
-- attempts cleared by a reset.
CREATE TABLE question_stats (
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id      TEXT    NOT NULL,
    question_id    TEXT    NOT NULL,
    attempts       INTEGER NOT NULL,
    correct        INTEGER NOT NULL,
    latest_at      INTEGER NOT NULL,
    latest_correct INTEGER NOT NULL,
    PRIMARY KEY (user_id, lesson_id, question_id)
) WITHOUT ROWID;

-- SQLite takes the bare column "correct" from the row holding max(at).
INSERT INTO question_stats (user_id, lesson_id, question_id, attempts, correct, latest_at, latest_correct)
SELECT user_id, lesson_id, question_id, count(*), sum(correct), max(at), correct
FROM attempts WHERE reset_id IS NULL
GROUP BY user_id, lesson_id, question_id;
