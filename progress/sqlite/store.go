// Package sqlite keeps each learner's progress in one SQLite file: who the
// learners are, every answer they gave, where they are in each lesson, their
// spaced-review cards, flags on questions, and resets they can undo. It is
// the progress.Backend a single machine uses, and owns every line of SQLite
// SQL and its migrations; the types and scheduling rules are package
// progress's. It stores lesson and question IDs as
// strings and knows nothing of how lessons are parsed or shown.
//
// Every method takes the learner's name and reads or writes only that
// learner's rows (the class report and flags are the exceptions, by design).
// Writes are durable on return: the database runs in WAL mode with
// synchronous=FULL, so a committed answer survives a crash or power loss.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"serverside/progress"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"serverside/fsrs"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is an open progress database. It is safe for concurrent use, and
// several processes may use the same file at once.
type Store struct {
	db    *sql.DB
	stmts sync.Map // query -> *sql.Stmt, for the hot write path
	// writeMu lets one of this process's transactions write at a time:
	// SQLite takes one writer anyway, and waiting here is a queue, where
	// waiting in busy_timeout is polling that starves under load.
	writeMu   sync.Mutex
	path      string
	scheduler fsrs.Scheduler
	now       func() time.Time
}

// OpenError says why a progress database could not be opened and what to do
// about it. Open never modifies a file it reports an OpenError for.
type OpenError struct {
	Path    string
	Problem string
	Fix     string
	Err     error
}

func (e *OpenError) Error() string {
	msg := fmt.Sprintf("progress database %s: %s", e.Path, e.Problem)
	if e.Fix != "" {
		msg += ". " + e.Fix
	}
	return msg
}

func (e *OpenError) Unwrap() error { return e.Err }

// sqliteMagic starts every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// Open opens (creating when missing, with its directory) the progress
// database at path and brings its schema up to date. Before anything is
// written it checks that the path is a writable SQLite file in a writable
// directory, and that the file passes SQLite's quick_check; when it is not, it
// returns an *OpenError and leaves the file untouched.
func Open(ctx context.Context, path string) (*Store, error) {
	if strings.TrimSpace(path) == "" {
		return nil, &OpenError{Path: `""`, Problem: "no path given", Fix: "Pass the path of the progress database file"}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &OpenError{Path: path, Problem: "cannot resolve the path", Fix: "Pass an absolute path", Err: err}
	}
	existed, err := checkPath(abs)
	if err != nil {
		return nil, err
	}
	if existed && !knownGood(abs) {
		if err := checkReadOnly(ctx, abs); err != nil {
			return nil, err
		}
		recordGood(abs)
	}

	dsn := fileURI(abs) + "?" + url.Values{
		"_pragma": {"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(FULL)"},
		"_txlock": {"immediate"},
	}.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, &OpenError{Path: abs, Problem: "cannot open", Fix: "Check the file's permissions", Err: err}
	}
	// WAL lets readers run beside the one writer; a few connections are
	// plenty for one learner's UI and keep file handles bounded.
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)

	s := &Store{db: db, path: abs, scheduler: storeScheduler(), now: time.Now}
	if err := s.migrate(ctx); err != nil {
		_ = db.Close()
		var oe *OpenError
		if errors.As(err, &oe) {
			return nil, err
		}
		return nil, &OpenError{Path: abs, Problem: "cannot update the schema: " + err.Error(),
			Fix: "Check that the disk is not full and the file is writable, then try again", Err: err}
	}
	return s, nil
}

// storeScheduler is FSRS with day-granular scheduling: no minute learning
// steps, because a question's schedule changes at most once a day (see
// RecordAttempt), so a card answered today is next due on a later day.
func storeScheduler() fsrs.Scheduler { return progress.Scheduler() }

func fileURI(abs string) string {
	return (&url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(abs)}).String()
}

// checkPath makes sure path can hold a database: not a directory, a writable
// SQLite file when it exists, in a directory we can create files in (SQLite
// needs the -wal and -shm files beside it). It reports whether the file
// already existed.
func checkPath(path string) (bool, error) {
	dir := filepath.Dir(path)
	info, err := os.Stat(path)
	switch {
	case err == nil && info.IsDir():
		return false, &OpenError{Path: path, Problem: "is a directory, not a database file",
			Fix: "Point serverside at a file path (for example " + filepath.Join(path, "progress.db") + ")"}
	case err == nil && !info.Mode().IsRegular():
		return false, &OpenError{Path: path, Problem: "is not a regular file", Fix: "Point serverside at a regular file path"}
	case err == nil:
		if err := checkHeader(path, info.Size()); err != nil {
			return true, err
		}
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return true, &OpenError{Path: path, Problem: "is read-only",
				Fix: "Make it writable (chmod u+w " + path + ") or choose another file", Err: err}
		}
		_ = f.Close()
		return true, checkDirWritable(path, dir)
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return false, &OpenError{Path: path, Problem: "cannot create its directory " + dir,
				Fix: "Create the directory yourself or choose another location", Err: err}
		}
		return false, checkDirWritable(path, dir)
	default:
		return false, &OpenError{Path: path, Problem: "cannot be read",
			Fix: "Check the permissions of the file and its directories", Err: err}
	}
}

func checkHeader(path string, size int64) error {
	if size == 0 {
		return nil // SQLite treats an empty file as a new database
	}
	corrupt := &OpenError{Path: path, Problem: "is not a SQLite database (it may be corrupt or another kind of file)",
		Fix: "Move it aside (mv " + path + " " + path + ".bad) to start afresh, or restore it from a backup or `serverside progress export` file"}
	f, err := os.Open(path)
	if err != nil {
		return &OpenError{Path: path, Problem: "cannot be read", Fix: "Check the file's permissions", Err: err}
	}
	defer f.Close()
	head := make([]byte, 100)
	if _, err := io.ReadFull(f, head); err != nil {
		corrupt.Err = err
		return corrupt
	}
	if string(head[:len(sqliteMagic)]) != sqliteMagic {
		return corrupt
	}
	return nil
}

func checkDirWritable(path, dir string) error {
	probe, err := os.CreateTemp(dir, ".serverside-probe-*")
	if err != nil {
		return &OpenError{Path: path, Problem: "its directory " + dir + " is read-only",
			Fix: "Make the directory writable (SQLite keeps its journal beside the file) or choose another location", Err: err}
	}
	name := probe.Name()
	_ = probe.Close()
	_ = os.Remove(name)
	return nil
}

// checkReadOnly runs SQLite's quick_check on an existing file before the
// read-write open writes anything (switching to WAL alone rewrites the
// header). It opens the file immutable: read-only, no locks, and no -wal or
// -shm files created, so a damaged file is left exactly as it was. That
// view ignores a WAL left by a crash, which is fine: the main file is what
// must be sound, and the read-write open replays the WAL.
func checkReadOnly(ctx context.Context, path string) error {
	if _, err := os.Stat(path + "-journal"); err == nil {
		// A rollback journal left by a crash must be replayed by a
		// read-write open; an immutable view would see a half-written file.
		return nil
	}
	// Another process may have the database open and be copying its WAL
	// into the file right now, which an immutable (lock-free) reader can
	// see half-done; it may also finish and remove its -wal and -shm files
	// between two looks. So a file only counts as damaged when it looks
	// damaged every time, a few tries apart: a checkpoint takes
	// milliseconds, a damaged file stays damaged.
	var err error
	for try := 0; try < 5; try++ {
		if try > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(try) * 40 * time.Millisecond):
			}
		}
		quickChecks.Add(1)
		err = quickCheck(ctx, fileURI(path)+"?mode=ro&immutable=1")
		if err != nil && isCorrupt(err) && exists(path+"-wal") && exists(path+"-shm") {
			// Ask again the normal way, with locks; the -wal and -shm
			// files exist already, so this creates nothing.
			err = quickCheck(ctx, fileURI(path)+"?mode=ro&_pragma=busy_timeout(5000)")
		}
		if err == nil || !isCorrupt(err) {
			break
		}
	}
	switch {
	case err == nil:
		return nil
	case isCorrupt(err):
		return &OpenError{Path: path, Problem: "is damaged (" + err.Error() + ")",
			Fix: "Move it aside (mv " + path + " " + path + ".bad) to start afresh, or restore it from a backup or `serverside progress export` file",
			Err: err}
	default:
		return &OpenError{Path: path, Problem: "cannot be read: " + err.Error(),
			Fix: "Check the file's permissions and that no other program holds it", Err: err}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// errDamaged wraps what quick_check reported, so isCorrupt recognises it.
type errDamaged struct{ report string }

func (e errDamaged) Error() string { return e.report }

// quickCheck runs PRAGMA quick_check on the database at uri.
func quickCheck(ctx context.Context, uri string) error {
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&result); err != nil {
		return err
	}
	if result != "ok" {
		return errDamaged{result}
	}
	return nil
}

// checkVersion refuses a database whose schema is newer than this program's.
func checkVersion(ctx context.Context, q querier, path string, known int64) error {
	rows, err := q.QueryContext(ctx, `SELECT max(version) FROM schema_migrations`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var top sql.NullInt64
	for rows.Next() {
		if err := rows.Scan(&top); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if top.Valid && top.Int64 > known {
		return &OpenError{Path: path,
			Problem: fmt.Sprintf("was written by a newer serverside (schema %d, this one knows up to %d)", top.Int64, known),
			Fix:     "Upgrade serverside, or use another file"}
	}
	return nil
}

type migration struct {
	version int64
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var migs []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(migrationFiles, "migrations/"+e.Name())
		if err != nil {
			return nil, err
		}
		migs = append(migs, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(migs, func(i, j int) bool { return migs[i].version < migs[j].version })
	for i := 1; i < len(migs); i++ {
		if migs[i].version == migs[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", migs[i-1].name, migs[i].name, migs[i].version)
		}
	}
	if len(migs) == 0 {
		return nil, errors.New("no migrations embedded")
	}
	return migs, nil
}

// migrate applies every migration not yet recorded, each in its own
// immediate transaction that first re-checks the record, so processes
// opening the same file at once apply each migration exactly once.
func (s *Store) migrate(ctx context.Context) error {
	migs, err := loadMigrations()
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT    NOT NULL,
			applied_at INTEGER NOT NULL
		)`)
		return err
	})
	if err != nil {
		return err
	}
	if err := checkVersion(ctx, s.db, s.path, migs[len(migs)-1].version); err != nil {
		return err
	}
	for _, m := range migs {
		err := s.write(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, s.now().UnixMilli())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Close closes the database.
// The SQLite store is a Backend.
var _ progress.Backend = (*Store)(nil)

func (s *Store) Close() error {
	s.stmts.Range(func(_, v any) bool {
		_ = v.(*sql.Stmt).Close()
		return true
	})
	err := s.db.Close()
	if err == nil {
		// This process's writes are known good: the next open need not
		// read every page again (see checked.go).
		recordGood(s.path)
	}
	return err
}

// prepared returns query prepared once for the store and bound to tx.
// Parsing SQL is a third of an answer's CPU cost otherwise.
func (s *Store) prepared(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	v, ok := s.stmts.Load(query)
	if !ok {
		st, err := s.db.PrepareContext(ctx, query)
		if err != nil {
			return nil, err
		}
		var loaded bool
		if v, loaded = s.stmts.LoadOrStore(query, st); loaded {
			_ = st.Close()
		}
	}
	return tx.StmtContext(ctx, v.(*sql.Stmt)), nil
}

func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := s.prepared(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (s *Store) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Row, error) {
	st, err := s.prepared(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryRowContext(ctx, args...), nil
}

// Path is the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// write runs fn in an immediate transaction, retrying with backoff when
// SQLite still reports the database busy after busy_timeout.
func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	const tries = 6
	backoff := 20 * time.Millisecond
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	for i := 0; ; i++ {
		err := s.tx(ctx, fn)
		if err == nil || !isBusy(err) || i == tries-1 {
			return err
		}
		jitter := time.Duration(rand.Int64N(int64(backoff)))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff + jitter):
		}
		backoff *= 2
	}
}

func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

func isBusy(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
}

func isCorrupt(err error) bool {
	if errors.As(err, new(errDamaged)) {
		return true
	}
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CORRUPT || c == sqlite3.SQLITE_NOTADB
}

// ms and fromMS convert between time.Time and the stored Unix milliseconds;
// a zero time is stored as NULL where the column allows it.
func ms(t time.Time) int64 { return t.UnixMilli() }

func nullMS(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func fromMS(v int64) time.Time { return time.UnixMilli(v) }

func fromNullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64)
}

// day is the learner's local calendar day of t.
func day(t time.Time) string { return progress.Day(t, t.Location()) }
