-- Learners of a classroom served over SSH are known by their public key:
-- one row a key, binding its fingerprint (SHA256:…) to the learner it
-- enrolled as. A learner has at most one key and a key one learner, so no
-- key can ever reach another learner's rows. Times are Unix milliseconds.
CREATE TABLE learner_keys (
    fingerprint TEXT    NOT NULL PRIMARY KEY,
    user_id     INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;
