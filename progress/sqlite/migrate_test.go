package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"serverside/progress"
	"testing"
	"time"
)

// TestMigrateFromSkeleton opens a database built with migration 0001 only
// and checks it is migrated to the latest schema with its rows intact.
func TestMigrateFromSkeleton(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	fixture, err := os.ReadFile("testdata/schema_v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, string(fixture)); err != nil {
		t.Fatalf("building the fixture: %v", err)
	}
	raw.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a version-1 database: %v", err)
	}
	defer s.Close()

	var versions int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	migs, _ := loadMigrations()
	if versions != len(migs) {
		t.Errorf("%d migrations recorded, want %d", versions, len(migs))
	}
	var mode string
	_ = s.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q after migrating, want wal", mode)
	}

	users, err := s.Users(ctx)
	if err != nil || len(users) != 2 || users[0].Name != "ada" || users[1].Name != "grace" {
		t.Fatalf("users after migrating = %+v, %v", users, err)
	}
	if !users[0].CreatedAt.Equal(time.UnixMilli(1767225600000)) {
		t.Errorf("ada created at %v", users[0].CreatedAt)
	}
	latest, err := s.LatestAttempts(ctx, "ada", "http-basics")
	if err != nil {
		t.Fatal(err)
	}
	if v := latest["verbs"]; v.ID != 2 || !v.Correct || v.HintsUsed != 1 || v.Answer != `{"choice":0}` || v.QuestionHash != "h-verbs" {
		t.Errorf("ada's latest verbs answer = %+v", v)
	}
	if len(latest) != 2 {
		t.Errorf("ada's latest answers = %d, want 2", len(latest))
	}
	// 0002 backfilled the local day of every attempt.
	var blank int
	_ = s.db.QueryRowContext(ctx, `SELECT count(*) FROM attempts WHERE day = ''`).Scan(&blank)
	if blank != 0 {
		t.Errorf("%d attempts without a day after migrating", blank)
	}
	var d string
	_ = s.db.QueryRowContext(ctx, `SELECT day FROM attempts WHERE id = 1`).Scan(&d)
	if want := day(time.UnixMilli(1767261600000)); d != want {
		t.Errorf("attempt 1's day = %q, want %q", d, want)
	}
	states, err := s.LessonStates(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	if st := states["http-basics"]; st.Status != progress.Done || st.Scroll != 40 || st.Seconds != 300 ||
		!st.CompletedAt.Equal(time.UnixMilli(1767261800000)) {
		t.Errorf("ada's lesson state = %+v", st)
	}
	stats, err := s.Stats(ctx, "ada", time.UnixMilli(1767261800000))
	if err != nil || stats.Attempts != 3 || stats.Correct != 2 || stats.Completed != 1 {
		t.Errorf("ada's stats after migrating = %+v, %v", stats, err)
	}
	// The new tables work on old data.
	record(t, s, "ada", "http-basics", "verbs", true, 0, time.Now())
	if err := s.ResetLesson(ctx, "ada", "http-basics"); err != nil {
		t.Fatal(err)
	}
	if err := s.UndoReset(ctx, "ada"); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.LatestAttempts(ctx, "ada", "http-basics"); len(l) != 2 {
		t.Errorf("after reset and undo: %d latest answers, want 2", len(l))
	}
	var check string
	if err := s.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}
	checkQuestionStats(t, s)
}
