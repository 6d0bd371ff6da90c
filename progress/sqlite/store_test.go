package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"serverside/progress"
	"testing"
	"time"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "progress.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestOpenCreatesAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a", "b", "progress.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	if _, err := s.EnsureUser(ctx, "ada"); err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var sync, fk int
	_ = s.db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync)
	_ = s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk)
	if sync != 2 || fk != 1 {
		t.Errorf("synchronous = %d (want 2, FULL), foreign_keys = %d (want 1)", sync, fk)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	users, err := s.Users(ctx)
	if err != nil || len(users) != 1 || users[0].Name != "ada" {
		t.Fatalf("Users after reopen = %+v, %v", users, err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	migs, _ := loadMigrations()
	if n != len(migs) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(migs))
	}
}

func TestEnsureUser(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	a, err := s.EnsureUser(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.EnsureUser(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.ID != b.ID || !a.CreatedAt.Equal(b.CreatedAt) {
		t.Errorf("EnsureUser twice gave %+v and %+v, want the same user", a, b)
	}
	for _, bad := range []string{"", "  ", " ada", "a\nb", string(make([]byte, 65))} {
		if _, err := s.EnsureUser(ctx, bad); err == nil {
			t.Errorf("EnsureUser(%q) succeeded, want an error", bad)
		}
	}
	if _, err := s.EnsureUser(ctx, "grace"); err != nil {
		t.Fatal(err)
	}
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].Name != "ada" || users[1].Name != "grace" {
		t.Errorf("Users = %+v, want ada and grace", users)
	}
}

func TestRecordAttemptAndLatest(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)
	rec := func(user, q string, correct bool, at time.Time) progress.Attempt {
		t.Helper()
		a, err := s.RecordAttempt(ctx, progress.Attempt{User: user, LessonID: "http", QuestionID: q,
			QuestionHash: "h1", Answer: `{"choice":0}`, Correct: correct, At: at})
		if err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 {
			t.Fatal("RecordAttempt returned no ID")
		}
		return a
	}
	rec("ada", "q1", false, t0)
	last := rec("ada", "q1", true, t0.Add(time.Minute))
	rec("ada", "q2", true, t0)
	rec("grace", "q1", false, t0.Add(time.Hour))

	got, err := s.LatestAttempts(ctx, "ada", "http")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("LatestAttempts = %d questions, want 2: %+v", len(got), got)
	}
	if q1 := got["q1"]; q1.ID != last.ID || !q1.Correct || !q1.At.Equal(last.At) || q1.Answer != `{"choice":0}` || q1.QuestionHash != "h1" {
		t.Errorf("latest q1 = %+v, want %+v", q1, last)
	}
	other, err := s.LatestAttempts(ctx, "grace", "http")
	if err != nil || len(other) != 1 || other["q1"].Correct {
		t.Errorf("grace's latest = %+v, %v; want one wrong q1", other, err)
	}
	none, err := s.LatestAttempts(ctx, "nobody", "http")
	if err != nil || len(none) != 0 {
		t.Errorf("unknown user's latest = %+v, %v; want empty", none, err)
	}
	for _, bad := range []progress.Attempt{
		{User: "", LessonID: "l", QuestionID: "q"},
		{User: "ada", LessonID: "", QuestionID: "q"},
		{User: "ada", LessonID: "l", QuestionID: ""},
		{User: "ada", LessonID: "l", QuestionID: "q", HintsUsed: -1},
	} {
		if _, err := s.RecordAttempt(ctx, bad); err == nil {
			t.Errorf("RecordAttempt(%+v) succeeded, want an error", bad)
		}
	}
}

func TestLessonStates(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)
	s.now = func() time.Time { return now }

	if err := s.StartLesson(ctx, "ada", "http"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute)
	if err := s.SaveScroll(ctx, "ada", "http", 42); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTime(ctx, "ada", "http", 30); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTime(ctx, "ada", "http", 15); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTime(ctx, "ada", "http", -1); err == nil {
		t.Error("AddTime(-1) succeeded, want an error")
	}
	if err := s.StartLesson(ctx, "ada", ""); err == nil {
		t.Error("StartLesson with empty lesson ID succeeded, want an error")
	}
	states, err := s.LessonStates(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	st := states["http"]
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)
	if st.Status != progress.InProgress || st.Scroll != 42 || st.Seconds != 45 || !st.StartedAt.Equal(t0) ||
		!st.SeenAt.Equal(t0.Add(time.Minute)) || !st.CompletedAt.IsZero() {
		t.Errorf("state after start/scroll/time = %+v", st)
	}

	now = now.Add(time.Hour)
	if err := s.CompleteLesson(ctx, "ada", "http"); err != nil {
		t.Fatal(err)
	}
	firstDone := now
	now = now.Add(time.Hour)
	if err := s.StartLesson(ctx, "ada", "http"); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteLesson(ctx, "ada", "http"); err != nil {
		t.Fatal(err)
	}
	states, _ = s.LessonStates(ctx, "ada")
	st = states["http"]
	if st.Status != progress.Done || !st.CompletedAt.Equal(firstDone) || !st.StartedAt.Equal(t0) || st.Scroll != 42 {
		t.Errorf("state after completing twice = %+v; want Done, first completion kept", st)
	}
	if other, _ := s.LessonStates(ctx, "grace"); len(other) != 0 {
		t.Errorf("grace sees ada's lessons: %+v", other)
	}
}

func TestOpenErrorMessage(t *testing.T) {
	err := error(&OpenError{Path: "/x/p.db", Problem: "is damaged", Fix: "Move it aside", Err: errors.New("boom")})
	if got, want := err.Error(), "progress database /x/p.db: is damaged. Move it aside"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
