package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"serverside/progress"
)

// KeyLearner is the learner the key with fingerprint fp enrolled as.
func (s *Store) KeyLearner(ctx context.Context, fp string) (string, bool, error) {
	if err := progress.CheckFingerprint(fp); err != nil {
		return "", false, err
	}
	var name string
	err := s.db.QueryRowContext(ctx, `
		SELECT u.name FROM learner_keys k JOIN users u ON u.id = k.user_id
		WHERE k.fingerprint = ?`, fp).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("look up key %s: %w", fp, err)
	}
	return name, true, nil
}

// EnrolKey creates the learner name for the key fp, in one immediate
// transaction: no other writer can take the name (or one that looks like
// it) or the key meanwhile.
func (s *Store) EnrolKey(ctx context.Context, fp, name string) (progress.User, error) {
	if err := progress.CheckFingerprint(fp); err != nil {
		return progress.User{}, err
	}
	if err := progress.CheckName(name); err != nil {
		return progress.User{}, err
	}
	u := progress.User{Name: name}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM learner_keys WHERE fingerprint = ?`, fp).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return progress.ErrKeyEnrolled
		}
		if err := nameFree(ctx, tx, name); err != nil {
			return err
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, created_at) VALUES (?, ?)`, name, ms(now))
		if err != nil {
			return err
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		u.CreatedAt = fromMS(ms(now))
		_, err = tx.ExecContext(ctx, `INSERT INTO learner_keys (fingerprint, user_id, created_at) VALUES (?, ?, ?)`, fp, u.ID, ms(now))
		return err
	})
	if err != nil {
		return progress.User{}, fmt.Errorf("enrol %q: %w", name, err)
	}
	return u, nil
}

// nameFree returns ErrNameTaken when some learner's name is name or looks
// like it (progress.LooksLike). It reads every name: the look-alike rules
// live in Go, and a class is at most a few thousand learners, enrolling
// once each.
func nameFree(ctx context.Context, tx *sql.Tx, name string) error {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM users`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return progress.NameTaken(name, names)
}
