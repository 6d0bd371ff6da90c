-- Stats and the class report read, for every attempt, only who answered
-- which question when, whether it was right and whether it was reset: keep
-- all of that in the index so they never touch the attempts table itself.
DROP INDEX attempts_by_lesson;
CREATE INDEX attempts_by_lesson ON attempts (user_id, lesson_id, question_id, at, correct, reset_id);
