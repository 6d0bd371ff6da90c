package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"serverside/progress"
)

// KeyLearner is the learner the key with fingerprint fp enrolled as.
func (s *Store) KeyLearner(ctx context.Context, fp string) (string, bool, error) {
	if err := progress.CheckFingerprint(fp); err != nil {
		return "", false, err
	}
	var name string
	err := s.pool.QueryRow(ctx, `
		SELECT u.name FROM learner_keys k JOIN users u ON u.id = k.user_id
		WHERE k.fingerprint = $1`, fp).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("look up key %s: %w", fp, err)
	}
	return name, true, nil
}

// enrolLock is the advisory lock EnrolKey holds for its transaction.
const enrolLock = 0x5e7e75_e27

// EnrolKey creates the learner name for the key fp in one transaction.
// Enrolments hold enrolLock, so each sees the names committed before it
// and refuses one that looks like them (progress.LooksLike) with
// ErrNameTaken. EnsureUser does not take the lock; it meets EnrolKey at
// the unique indexes: one commits, the other's whole transaction (its new
// learner too) rolls back with ErrKeyEnrolled or ErrNameTaken.
func (s *Store) EnrolKey(ctx context.Context, fp, name string) (progress.User, error) {
	if err := progress.CheckFingerprint(fp); err != nil {
		return progress.User{}, err
	}
	if err := progress.CheckName(name); err != nil {
		return progress.User{}, err
	}
	u := progress.User{Name: name}
	err := s.write(ctx, func(tx pgx.Tx) error {
		// One enrolment at a time, across hosts: a name that only looks
		// like another is not a unique-index conflict, so two keys could
		// otherwise enrol as "alice" and "Alice" at once. The lock ends
		// with the transaction.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(enrolLock)); err != nil {
			return err
		}
		var known bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM learner_keys WHERE fingerprint = $1)`, fp).Scan(&known); err != nil {
			return err
		}
		if known {
			return progress.ErrKeyEnrolled
		}
		rows, err := tx.Query(ctx, `SELECT name FROM users`)
		if err != nil {
			return err
		}
		names, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		if err := progress.NameTaken(name, names); err != nil {
			return err
		}
		now := msTime(s.now())
		err = tx.QueryRow(ctx, `
			INSERT INTO users (name, created_at) VALUES ($1, $2)
			ON CONFLICT (name) DO NOTHING
			RETURNING id, created_at`, name, now).Scan(&u.ID, &u.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return progress.ErrNameTaken
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO learner_keys (fingerprint, user_id, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (fingerprint) DO NOTHING`, fp, u.ID, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return progress.ErrKeyEnrolled
		}
		return nil
	})
	if err != nil {
		return progress.User{}, fmt.Errorf("enrol %q: %w", name, err)
	}
	u.CreatedAt = msTime(u.CreatedAt)
	return u, nil
}
