package sqlite

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// dirListing lists a directory's names, to check a failed Open left no
// journal files behind.
func dirListing(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// wantOpenError opens path, expects an *OpenError mentioning the path and
// a fix, and checks the file's bytes and its directory are unchanged.
func wantOpenError(t *testing.T, path, problem string) {
	t.Helper()
	before, readErr := os.ReadFile(path)
	dir := filepath.Dir(path)
	listing := dirListing(t, dir)

	s, err := Open(context.Background(), path)
	if err == nil {
		s.Close()
		t.Fatalf("Open(%s) succeeded, want an error", path)
	}
	var oe *OpenError
	if !errors.As(err, &oe) {
		t.Fatalf("Open error is %T (%v), want *OpenError", err, err)
	}
	if oe.Path != path || oe.Fix == "" || !strings.Contains(oe.Problem, problem) {
		t.Errorf("OpenError = %+v, want path %s, a fix, and a problem mentioning %q", oe, path, problem)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("message %q does not name the path", err)
	}
	if readErr == nil {
		after, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(before, after) {
			t.Errorf("Open changed the file (%d bytes before, %d after, %v)", len(before), len(after), err)
		}
	}
	if got := dirListing(t, dir); !reflect.DeepEqual(got, listing) {
		t.Errorf("Open left files behind: %v, was %v", got, listing)
	}
}

func TestOpenRandomBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.db")
	junk := make([]byte, 8192)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range junk {
		junk[i] = byte(r.UintN(256))
	}
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	wantOpenError(t, path, "not a SQLite database")
}

func TestOpenShortFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.db")
	if err := os.WriteFile(path, []byte("SQLite format 3\x00tiny"), 0o600); err != nil {
		t.Fatal(err)
	}
	wantOpenError(t, path, "not a SQLite database")
}

// A file with a good header whose pages are damaged: the header check
// passes, quick_check must catch it before anything writes.
func TestOpenDamagedPages(t *testing.T) {
	wantOpenError(t, damagedDatabase(t), "damaged")
}

// damagedDatabase writes a real progress database, then overwrites every
// page after the first with junk.
func damagedDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "progress.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		record(t, s, "ada", "l", "q"+string(rune('a'+i%26)), i%2 == 0, 0, s.now())
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 4*4096 {
		t.Fatalf("database only %d bytes; want several pages", len(data))
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 4096; i < len(data); i++ {
		data[i] = byte(r.UintN(256))
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The same damage, with -wal and -shm files beside it as a running (or
// killed) serverside leaves them: the second, locking check agrees.
func TestOpenDamagedPagesWithJournalFiles(t *testing.T) {
	path := damagedDatabase(t)
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.WriteFile(path+suffix, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	wantOpenError(t, path, "damaged")
}

func TestOpenDirectoryAtPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.db")
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	wantOpenError(t, path, "is a directory")
}

func TestOpenParentIsAFile(t *testing.T) {
	dir := t.TempDir()
	parent := filepath.Join(dir, "data")
	if err := os.WriteFile(parent, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(parent, "progress.db")
	_, err := Open(context.Background(), path)
	var oe *OpenError
	if !errors.As(err, &oe) || oe.Path != path || !strings.Contains(oe.Problem, "cannot create its directory") || oe.Fix == "" {
		t.Errorf("Open under a file = %v, want an *OpenError about the directory", err)
	}
	if b, _ := os.ReadFile(parent); string(b) != "not a directory" {
		t.Error("Open changed the file standing where the directory should be")
	}
}

func TestOpenNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "progress.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	wantOpenError(t, path, "newer serverside")
}

func TestOpenEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open of an empty file: %v (SQLite treats it as a new database)", err)
	}
	defer s.Close()
	if _, err := s.EnsureUser(context.Background(), "ada"); err != nil {
		t.Fatal(err)
	}
}

func TestOpenEmptyPath(t *testing.T) {
	_, err := Open(context.Background(), " ")
	var oe *OpenError
	if !errors.As(err, &oe) {
		t.Fatalf("Open(\" \") = %v, want *OpenError", err)
	}
}

// Opening after a crash that left a WAL behind works and sees the data.
func TestOpenWithLeftoverWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "progress.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	record(t, s, "ada", "l", "q", true, 0, s.now())
	// Copy the file and its WAL while open, as a crash would leave them.
	dir2 := t.TempDir()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatalf("read %s: %v", suffix, err)
		}
		if err := os.WriteFile(filepath.Join(dir2, "progress.db"+suffix), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s2, err := Open(ctx, filepath.Join(dir2, "progress.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, _ := s2.LatestAttempts(ctx, "ada", "l"); len(got) != 1 {
		t.Errorf("after reopening with the WAL: %v", got)
	}
	var check string
	if err := s2.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}
}

// Characters that mean something in a URI must not confuse the driver.
func TestOpenOddPath(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "my progress #1?x=y&mode=ro%20", "progress.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	record(t, s, "ada", "l", "q", true, 0, s.now())
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %s: %v", path, err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, _ := s.LatestAttempts(ctx, "ada", "l"); len(got) != 1 {
		t.Errorf("reopened odd path: %v", got)
	}
}
