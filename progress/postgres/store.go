// Package postgres keeps a class's progress on a PostgreSQL server, for
// several tutor processes (or hosts) that share one store. It implements
// the progress contract (progress.Backend, progress.Learner) and passes the
// same conformance suite as the embedded SQLite file; every line of its SQL
// and its migrations live here, and every scheduling decision is the shared
// one in package progress.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"serverside/fsrs"
	"serverside/progress"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// IsURL says whether a --db value names a PostgreSQL server rather than a file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redact is a connection URL fit to print: its password replaced by xxxxx.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Store is an open connection pool to the progress database. It is safe
// for concurrent use by any number of sessions.
type Store struct {
	pool      *pgxpool.Pool
	where     string // host:port/database, for messages (never the password)
	scheduler fsrs.Scheduler
	now       func() time.Time
}

var _ progress.Backend = (*Store)(nil)

// Open connects to the server at dsn (a postgres:// URL; libpq's PG*
// variables and ~/.pgpass fill in what it leaves out), applies the
// migrations not yet applied, and returns the store. A server that cannot
// be reached is an error naming host:port and what to do.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("progress database %s: not a valid PostgreSQL URL: %s", Redact(dsn), redactErr(err, dsn))
	}
	cfg.MaxConns = max(cfg.MaxConns, 8)
	where := fmt.Sprintf("%s/%s", net.JoinHostPort(cfg.ConnConfig.Host, fmt.Sprint(cfg.ConnConfig.Port)), cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("progress database %s: %s", where, redactErr(err, dsn))
	}
	s := &Store{pool: pool, where: where, scheduler: progress.Scheduler(), now: time.Now}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("progress database %s: cannot connect (%s). Check that PostgreSQL is running there and that the URL's user, password and database are right", where, redactErr(err, dsn))
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("progress database %s: cannot update the schema: %s", where, redactErr(err, dsn))
	}
	return s, nil
}

// redactErr is err's text with any password of dsn masked.
func redactErr(err error, dsn string) string {
	msg := err.Error()
	if u, perr := url.Parse(dsn); perr == nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// Where is the server and database, for messages.
func (s *Store) Where() string { return s.where }

// Close closes every connection.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// migrationLock is the advisory lock that makes two processes starting at
// once apply the migrations one after the other.
const migrationLock = 0x5e7e75_1de

func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		return err
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	for i, name := range names {
		version := i + 1
		var done bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, version).Scan(&done); err != nil {
			return err
		}
		if done {
			continue
		}
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, version, name)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// write runs fn in a transaction, again when the connection broke before
// the transaction could have committed (the server restarted, a failover):
// an answer is either stored or reported as not stored, never both.
func (s *Store) write(ctx context.Context, fn func(pgx.Tx) error) error {
	backoff := 50 * time.Millisecond
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := pgx.BeginFunc(ctx, s.pool, fn)
		if err == nil || !retryable(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(backoff + rand.N(backoff)):
		}
		backoff = min(backoff*2, 2*time.Second)
	}
}

// retryable is an error after which running the transaction again cannot
// store anything twice: nothing reached the server, the server refused
// connections (starting or shutting down), or a serialization conflict.
func retryable(err error) bool {
	if pgconn.SafeToRetry(err) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01", "57P01", "57P02", "57P03", "08000", "08003", "08006":
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}

// lockUser returns the id of the learner called name, creating the row when
// missing, and locks it for the transaction: one learner's writes happen one
// at a time (so "the first answer of the day" is well defined when two
// sessions answer at once), different learners' in parallel.
func (s *Store) lockUser(ctx context.Context, tx pgx.Tx, name string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO users (name, created_at) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET name = excluded.name
		RETURNING id`, name, s.now()).Scan(&id)
	return id, err
}

// userID finds a learner without creating one; ok is false when missing.
func userID(ctx context.Context, q querier, name string) (int64, bool, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM users WHERE name = $1`, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// msTime keeps times to the millisecond, as the SQLite store and the export
// file do, so a round trip between backends compares equal. The zone stays
// t's: the learner's, whose day an answer is recorded on.
func msTime(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()).In(t.Location()) }

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = msTime(t)
	return &t
}

func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return msTime(*t)
}
