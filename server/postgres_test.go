package server

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"serverside/progress/postgres"
	"serverside/progress/postgres/pgtest"
)

// pgSchema is an empty schema on SERVERSIDE_TEST_POSTGRES's server, as a
// URL whose connections use it; the test skips without one.
func pgSchema(t *testing.T) string {
	base := os.Getenv("SERVERSIDE_TEST_POSTGRES")
	if base == "" {
		t.Skip("PostgreSQL test skipped: set SERVERSIDE_TEST_POSTGRES=postgres://user@127.0.0.1:PORT/db (bash .ci/postgres start DIR prints one)")
	}
	return pgtest.FreshSchema(t, base)
}

// Two classrooms on different ports, each with its own connection pool to
// one PostgreSQL database, as two hosts behind a load balancer would be:
// a learner who enrolled and answered on one finds their progress on the
// other, without being asked their name again, and either host's class
// view lists them.
func TestTwoServersOnePostgres(t *testing.T) {
	dsn := pgSchema(t)
	openStore := func() *postgres.Store {
		s, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	a := startClass(t, Config{Backend: openStore()})
	b := startClass(t, Config{Backend: openStore()})
	key := newSigner(t)
	tm, err := open(t, a.addr, key, dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tm.learn(a.course); err != nil {
		t.Fatal(err)
	}
	again, err := open(t, b.addr, key, dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	first := b.course.Lessons()[0]
	if err := again.expect(first.Title); err != nil {
		t.Fatal(err)
	}
	if got := again.out.text(); containsSqueezed(got, "Welcome to the classroom") {
		t.Error("the second host asked a known key for a name")
	}
	checkOneAnswer(t, b, "ada")
	name, ok, err := b.backend.KeyLearner(context.Background(), gossh.FingerprintSHA256(key.PublicKey()))
	if err != nil || !ok || name != "ada" {
		t.Errorf("the second host knows the key as %q (ok=%v, %v), want ada", name, ok, err)
	}
	snap, err := a.srv.Class().Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Learners) != 1 || snap.Learners[0].LastQuestion != first.ID+"/"+first.Questions[0].ID {
		t.Errorf("the first host's class view: %+v", snap.Learners)
	}
	if err := again.send("\x03"); err != nil {
		t.Fatal(err)
	}
	if err := again.expect("See you next time, ada."); err != nil {
		t.Error(err)
	}
}

// Two serve processes on different ports, one PostgreSQL database: a
// learner who enrols and answers through one is known, with their answer,
// through the other.
func TestTwoProcessesOnePostgres(t *testing.T) {
	dsn := pgSchema(t)
	dir := t.TempDir()
	bin := buildServerside(t, dir)
	a := startServe(t, bin, filepath.Join(dir, "a"), "--listen", "127.0.0.1:0", "--db", dsn)
	b := startServe(t, bin, filepath.Join(dir, "b"), "--listen", "127.0.0.1:0", "--db", dsn)
	if a.port == b.port {
		t.Fatalf("both processes on port %s", a.port)
	}
	key := newSigner(t)
	tm, err := open(t, "127.0.0.1:"+a.port, key, dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tm.learn(builtin()); err != nil {
		t.Fatal(err)
	}
	again, err := open(t, "127.0.0.1:"+b.port, key, dialOpts{user: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	first := builtin().Lessons()[0]
	if err := again.expect("continue " + first.Title); err != nil {
		t.Fatal(err)
	}
	if containsSqueezed(again.out.text(), "Welcome to the classroom") {
		t.Error("the second process asked a known key for a name")
	}
	if err := again.send("q"); err != nil {
		t.Fatal(err)
	}
	if err := again.expect("See you next time, ada."); err != nil {
		t.Error(err)
	}
	a.terminate()
	b.terminate()
	store, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	checkOneAnswer(t, &testClass{t: t, backend: store, course: builtin()}, "ada")
}
