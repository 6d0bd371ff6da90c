-- The progress schema on PostgreSQL: the same tables as the SQLite file,
-- with times as timestamptz and ids from identity columns. The learner's
-- local day of an attempt or review is stored as text (YYYY-MM-DD), taken
-- by the shared rules in the learner's time zone, so SQL never needs one.
CREATE TABLE users (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

CREATE TABLE resets (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id   bigint      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id text        NOT NULL DEFAULT '', -- '' resets every lesson
    at        timestamptz NOT NULL,
    undone_at timestamptz
);
CREATE INDEX resets_by_user ON resets (user_id, id);

CREATE TABLE attempts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id     text        NOT NULL,
    question_id   text        NOT NULL,
    question_hash text        NOT NULL DEFAULT '',
    answer        text        NOT NULL,
    correct       boolean     NOT NULL,
    hints_used    integer     NOT NULL DEFAULT 0 CHECK (hints_used >= 0),
    at            timestamptz NOT NULL,
    review        boolean     NOT NULL DEFAULT false,
    day           text        NOT NULL,
    reset_id      bigint REFERENCES resets(id)
);
CREATE INDEX attempts_by_lesson ON attempts (user_id, lesson_id, question_id, at) INCLUDE (correct, reset_id);
CREATE INDEX attempts_by_day ON attempts (user_id, day);

CREATE TABLE question_stats (
    user_id        bigint      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id      text        NOT NULL,
    question_id    text        NOT NULL,
    attempts       integer     NOT NULL,
    correct        integer     NOT NULL,
    latest_at      timestamptz NOT NULL,
    latest_correct boolean     NOT NULL,
    PRIMARY KEY (user_id, lesson_id, question_id)
);

CREATE TABLE lesson_state (
    user_id      bigint      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id    text        NOT NULL,
    status       smallint    NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),
    scroll       integer     NOT NULL DEFAULT 0,
    started_at   timestamptz,
    completed_at timestamptz,
    seen_at      timestamptz,
    seconds      integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, lesson_id)
);
CREATE INDEX lesson_state_by_seen ON lesson_state (user_id, seen_at DESC);

CREATE TABLE cards (
    user_id     bigint           NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id   text             NOT NULL,
    question_id text             NOT NULL,
    state       smallint         NOT NULL,
    step        integer          NOT NULL DEFAULT 0,
    stability   double precision NOT NULL,
    difficulty  double precision NOT NULL,
    due         timestamptz      NOT NULL,
    last_review timestamptz      NOT NULL,
    reps        integer          NOT NULL DEFAULT 0,
    lapses      integer          NOT NULL DEFAULT 0,
    last_day    text             NOT NULL,
    last_rating smallint         NOT NULL,
    prev        text             NOT NULL DEFAULT '',
    created_at  timestamptz      NOT NULL,
    PRIMARY KEY (user_id, lesson_id, question_id)
);
CREATE INDEX cards_by_due ON cards (user_id, due);

CREATE TABLE reset_lesson_state (
    reset_id     bigint      NOT NULL REFERENCES resets(id) ON DELETE CASCADE,
    lesson_id    text        NOT NULL,
    status       smallint    NOT NULL,
    scroll       integer     NOT NULL,
    started_at   timestamptz,
    completed_at timestamptz,
    seen_at      timestamptz,
    seconds      integer     NOT NULL,
    PRIMARY KEY (reset_id, lesson_id)
);

CREATE TABLE reset_cards (
    reset_id    bigint           NOT NULL REFERENCES resets(id) ON DELETE CASCADE,
    lesson_id   text             NOT NULL,
    question_id text             NOT NULL,
    state       smallint         NOT NULL,
    step        integer          NOT NULL,
    stability   double precision NOT NULL,
    difficulty  double precision NOT NULL,
    due         timestamptz      NOT NULL,
    last_review timestamptz      NOT NULL,
    reps        integer          NOT NULL,
    lapses      integer          NOT NULL,
    last_day    text             NOT NULL,
    last_rating smallint         NOT NULL,
    prev        text             NOT NULL,
    created_at  timestamptz      NOT NULL,
    PRIMARY KEY (reset_id, lesson_id, question_id)
);

CREATE TABLE flags (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id   text        NOT NULL,
    question_id text        NOT NULL,
    comment     text        NOT NULL,
    at          timestamptz NOT NULL
);
CREATE INDEX flags_by_lesson ON flags (lesson_id, question_id);

CREATE TABLE lab_tasks (
    user_id   bigint      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lesson_id text        NOT NULL,
    lab_id    text        NOT NULL,
    task_id   text        NOT NULL,
    done_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, lesson_id, lab_id, task_id)
);
