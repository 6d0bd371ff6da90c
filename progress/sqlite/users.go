package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"serverside/progress"
)

// EnsureUser returns the user called name, creating it when missing.
func (s *Store) EnsureUser(ctx context.Context, name string) (progress.User, error) {
	if err := progress.CheckName(name); err != nil {
		return progress.User{}, err
	}
	var u progress.User
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = s.ensureUser(ctx, tx, name)
		return err
	})
	if err != nil {
		return progress.User{}, fmt.Errorf("ensure user %q: %w", name, err)
	}
	return u, nil
}

func (s *Store) ensureUser(ctx context.Context, tx *sql.Tx, name string) (progress.User, error) {
	if err := progress.CheckName(name); err != nil {
		return progress.User{}, err
	}
	u := progress.User{Name: name}
	var created int64
	row, err := s.txQueryRow(ctx, tx, `SELECT id, created_at FROM users WHERE name = ?`, name)
	if err != nil {
		return progress.User{}, err
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
		return progress.User{}, err
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
func (s *Store) Users(ctx context.Context) ([]progress.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, created_at FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var users []progress.User
	for rows.Next() {
		var u progress.User
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
