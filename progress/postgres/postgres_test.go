package postgres

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"serverside/progress"
	"serverside/progress/progresstest"
)

// testURL is the server the tests use, from SERVERSIDE_TEST_POSTGRES; the
// tests skip without it (.ci/run starts a throwaway cluster and sets it).
func testURL(t testing.TB) string {
	u := os.Getenv("SERVERSIDE_TEST_POSTGRES")
	if u == "" {
		t.Skip("PostgreSQL tests skipped: set SERVERSIDE_TEST_POSTGRES=postgres://user@127.0.0.1:PORT/db (bash .ci/postgres start DIR prints one)")
	}
	return u
}

// freshSchema makes an empty schema for one store and returns a URL whose
// connections use it, so tests never see each other's rows.
func freshSchema(t testing.TB) string {
	u, drop, err := createSchema(testURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return u
}

// createSchema makes an empty schema on the server at base; drop removes it.
func createSchema(base string) (dsn string, drop func(), err error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, fmt.Errorf("connect to %s: %w", Redact(base), err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("t_%d", rand.Uint64())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, err
	}
	drop = func() {
		if c, err := pgx.Connect(context.Background(), base); err == nil {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			_ = c.Close(context.Background())
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

func openTest(t testing.TB) *Store {
	s, err := Open(context.Background(), freshSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// The PostgreSQL store passes the same conformance suite as the SQLite file.
func TestConformance(t *testing.T) {
	testURL(t)
	progresstest.Run(t, func(t *testing.T) progress.Backend { return openTest(t) })
}

// Two processes starting at once on an empty database both come up, and
// the schema is made once.
func TestMigrationsRaceSafely(t *testing.T) {
	dsn := freshSchema(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), dsn)
			if err == nil {
				_ = s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	files, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var n, distinct int
	if err := s.pool.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&n, &distinct); err != nil || n != len(files) || distinct != n {
		t.Errorf("schema_migrations has %d rows, %d versions (%v), want one per migration file (%d)", n, distinct, err, len(files))
	}
}

func TestRedactHidesPasswords(t *testing.T) {
	for _, in := range []string{
		"postgres://ada:s3cret@db.example:5432/class",
		"postgresql://ada:s3cret@db.example/class?sslmode=require",
		"postgres://db.example/class?user=ada&password=s3cret",
	} {
		out := Redact(in)
		if strings.Contains(out, "s3cret") || !strings.Contains(out, "db.example") {
			t.Errorf("Redact(%q) = %q", in, out)
		}
	}
}

// A server that is not there is an error that names where it looked,
// without the password, and says what to do.
func TestUnreachableServer(t *testing.T) {
	ctx := context.Background()
	_, err := Open(ctx, "postgres://ada:s3cret@127.0.0.1:1/class?connect_timeout=2")
	if err == nil {
		t.Fatal("opened a server that is not there")
	}
	msg := err.Error()
	if strings.Contains(msg, "s3cret") || !strings.Contains(msg, "127.0.0.1:1") || !strings.Contains(msg, "Check that PostgreSQL is running") {
		t.Errorf("error: %s", msg)
	}
}

// The server restarts between two answers (a crash, an upgrade, a
// failover): the second answer waits for it and is stored, and nothing
// stored before is lost.
func TestServerRestartBetweenAnswers(t *testing.T) {
	restart := os.Getenv("SERVERSIDE_TEST_POSTGRES_RESTART")
	if restart == "" {
		t.Skip("restart test skipped: SERVERSIDE_TEST_POSTGRES_RESTART names a command that restarts the test server (.ci/postgres sets it)")
	}
	s := openTest(t)
	ctx := context.Background()
	l, err := s.Learner("ada")
	if err != nil {
		t.Fatal(err)
	}
	first, err := l.Record(ctx, progress.Attempt{LessonID: "l", QuestionID: "q1", Answer: `"a"`, Correct: true})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		out, err := exec.Command("bash", "-c", restart+" 2").CombinedOutput()
		if err != nil {
			err = fmt.Errorf("%v: %s", err, out)
		}
		done <- err
	}()
	time.Sleep(700 * time.Millisecond) // the server is stopping or down now
	second, err := l.Record(ctx, progress.Attempt{LessonID: "l", QuestionID: "q2", Answer: `"b"`, Correct: true})
	if rerr := <-done; rerr != nil {
		t.Fatalf("restarting the server: %v", rerr)
	}
	if err != nil {
		t.Fatalf("the answer given while the server restarted was not saved: %v", err)
	}
	latest, err := l.Latest(ctx, "l")
	if err != nil {
		t.Fatal(err)
	}
	if latest["q1"].ID != first.ID || latest["q2"].ID != second.ID {
		t.Errorf("after the restart: %+v", latest)
	}
}
