-- Learners of a classroom served over SSH are known by their public key:
-- one row a key, binding its fingerprint (SHA256:…) to the learner it
-- enrolled as. A learner has at most one key and a key one learner.
CREATE TABLE learner_keys (
    fingerprint text        NOT NULL PRIMARY KEY,
    user_id     bigint      NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL
);
