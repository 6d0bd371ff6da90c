-- Lab tasks a learner has done: a task ticks once, when the lab first sees
-- it met, and stays done. Times are Unix milliseconds.
CREATE TABLE lab_tasks (
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id TEXT    NOT NULL,
    lab_id    TEXT    NOT NULL,
    task_id   TEXT    NOT NULL,
    done_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, lesson_id, lab_id, task_id)
) WITHOUT ROWID;
