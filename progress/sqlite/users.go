package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"serverside/termsafe"
)

// User is one learner.
type User struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// maxNameLen bounds user names so reports stay readable.
const maxNameLen = 64

// checkName returns a clear error when name cannot be a user name.
func checkName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("user name is empty: pass a name such as your login")
	case name != strings.TrimSpace(name):
		return fmt.Errorf("user name %q has leading or trailing spaces: remove them", name)
	case !utf8.ValidString(name):
		return fmt.Errorf("user name %q is not valid UTF-8", name)
	case utf8.RuneCountInString(name) > maxNameLen:
		return fmt.Errorf("user name %q is longer than %d characters: use a shorter one", name, maxNameLen)
	case strings.IndexFunc(name, unicode.IsControl) >= 0 || strings.IndexFunc(name, termsafe.Unsafe) >= 0:
		return fmt.Errorf("user name %q contains control characters: use letters, digits and punctuation", name)
	}
	return nil
}

// EnsureUser returns the user called name, creating it when missing.
func (s *Store) EnsureUser(ctx context.Context, name string) (User, error) {
	if err := checkName(name); err != nil {
		return User{}, err
	}
	var u User
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = s.ensureUser(ctx, tx, name)
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("ensure user %q: %w", name, err)
	}
	return u, nil
}

func (s *Store) ensureUser(ctx context.Context, tx *sql.Tx, name string) (User, error) {
	if err := checkName(name); err != nil {
		return User{}, err
	}
	u := User{Name: name}
	var created int64
	row, err := s.txQueryRow(ctx, tx, `SELECT id, created_at FROM users WHERE name = ?`, name)
	if err != nil {
		return User{}, err
	}
	err = row.Scan(&u.ID, &created)
	if errors.Is(err, sql.ErrNoRows) {
		// The transaction is immediate: nobody can insert the name meanwhile.
		created = ms(s.now())
		var res sql.Result
		if res, err = s.txExec(ctx, tx, `INSERT INTO users (name, created_at) VALUES (?, ?)`, name, created); err == nil {
			u.ID, err = res.LastInsertId()
		}
	}
	if err != nil {
		return User{}, err
	}
	u.CreatedAt = fromMS(created)
	return u, nil
}

// userID returns the id of the user called name, or ok=false when there is
// no such user (reads then return empty results rather than creating one).
func (s *Store) userID(ctx context.Context, name string) (id int64, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT id FROM users WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, created_at FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var users []User
	for rows.Next() {
		var u User
		var created int64
		if err := rows.Scan(&u.ID, &u.Name, &created); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		u.CreatedAt = fromMS(created)
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}
