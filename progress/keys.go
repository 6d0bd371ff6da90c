package progress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ErrNameTaken is EnrolKey's answer for a name some learner already has.
var ErrNameTaken = errors.New("that name is taken by another learner: choose another")

// ErrKeyEnrolled is EnrolKey's answer for a key that enrolled before.
var ErrKeyEnrolled = errors.New("this key is already enrolled as a learner")

// maxFingerprintLen bounds a key fingerprint ("SHA256:" and 43 base64
// characters for the keys SSH uses today), with room for other hashes.
const maxFingerprintLen = 128

// CheckFingerprint returns a clear error when fp cannot be a key's
// fingerprint: empty, too long, or holding spaces or control characters.
func CheckFingerprint(fp string) error {
	switch {
	case fp == "":
		return errors.New("key fingerprint is empty")
	case len(fp) > maxFingerprintLen:
		return fmt.Errorf("key fingerprint is %d bytes, longer than %d", len(fp), maxFingerprintLen)
	case strings.IndexFunc(fp, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r > unicode.MaxASCII }) >= 0:
		return fmt.Errorf("key fingerprint %q holds spaces, control or non-ASCII characters", fp)
	}
	return nil
}

// KeyLearner is the learner the key with fingerprint fp enrolled as.
func (s *Store) KeyLearner(ctx context.Context, fp string) (string, bool, error) {
	if err := CheckFingerprint(fp); err != nil {
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
// transaction: no other writer can take the name or the key meanwhile.
func (s *Store) EnrolKey(ctx context.Context, fp, name string) (User, error) {
	if err := CheckFingerprint(fp); err != nil {
		return User{}, err
	}
	if err := checkName(name); err != nil {
		return User{}, err
	}
	u := User{Name: name}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM learner_keys WHERE fingerprint = ?`, fp).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrKeyEnrolled
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrNameTaken
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
		return User{}, fmt.Errorf("enrol %q: %w", name, err)
	}
	return u, nil
}
