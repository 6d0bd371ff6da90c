package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"serverside/lessons"
	"serverside/progress"
	"serverside/progress/postgres/pgtest"
	"serverside/progress/sqlite"
)

// classProgress gives several learners answers across the whole built-in
// course (some right, some wrong, some with hints, over several days),
// lesson states, lab tasks, a flag and a reset, in the SQLite file at path.
func classProgress(t *testing.T, path string, learners int) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	course, _ := lessons.Default()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.Local)
	for i := range learners {
		l, err := s.Learner(fmt.Sprintf("learner %d", i))
		if err != nil {
			t.Fatal(err)
		}
		for j, lesson := range course.Lessons() {
			if (i+j)%3 == 2 {
				continue // not everyone has opened every lesson
			}
			if err := l.SaveScroll(ctx, lesson.ID, j*3+i); err != nil {
				t.Fatal(err)
			}
			for k, q := range lesson.Questions {
				at := start.Add(time.Duration(j) * 24 * time.Hour).Add(time.Duration(k+i) * time.Minute)
				if _, err := l.Record(ctx, progress.Attempt{LessonID: lesson.ID, QuestionID: q.ID, QuestionHash: q.Hash,
					Answer: fmt.Sprintf(`"answer %d"`, k), Correct: (i+k)%4 != 0, HintsUsed: k % 2, At: at}); err != nil {
					t.Fatal(err)
				}
			}
			if j%2 == 0 {
				if err := l.CompleteLesson(ctx, lesson.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := l.CompleteLabTask(ctx, "sql-basics", "shop", "task-1"); err != nil {
			t.Fatal(err)
		}
		if err := l.Flag(ctx, course.Lessons()[0].ID, course.Lessons()[0].Questions[0].ID, "is this right?"); err != nil {
			t.Fatal(err)
		}
	}
	l, _ := s.Learner("learner 0")
	if err := l.ResetLesson(ctx, course.Lessons()[1].ID); err != nil {
		t.Fatal(err)
	}
}

// exports returns every learner's export of the database at spec, with
// the time of the export blanked so two exports compare equal.
func exports(t *testing.T, spec string) map[string]string {
	t.Helper()
	ctx := context.Background()
	b, _, err := openBackend(ctx, spec, true)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	users, err := b.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, u := range users {
		l, err := b.Learner(u.Name)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := l.Export(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		var f map[string]any
		if err := json.Unmarshal(buf.Bytes(), &f); err != nil {
			t.Fatal(err)
		}
		delete(f, "exported_at")
		norm, _ := json.MarshalIndent(f, "", " ")
		out[u.Name] = string(norm)
	}
	return out
}

func sameExports(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d learners, want %d", what, len(got), len(want))
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: learner %q differs\nwant %.600s\n got %.600s", what, name, w, got[name])
		}
	}
}

func runCopy(t *testing.T, from, to string) string {
	t.Helper()
	out, errOut, err := runProgressCmd(t, newRootCmd(), "", "progress", "copy", "--from", from, "--to", to)
	if err != nil {
		t.Fatalf("copy %s → %s: %v\n%s", from, to, err, errOut)
	}
	return out
}

// A class's whole progress goes SQLite → SQLite, and through PostgreSQL and
// back when a server is at hand, and comes out the same; copying again adds
// nothing.
func TestProgressCopyRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "c.db")
	classProgress(t, a, 4)
	want := exports(t, a)

	out := runCopy(t, a, b)
	if !strings.Contains(out, "Copied 4 learners") {
		t.Errorf("copy said: %q", out)
	}
	sameExports(t, "file to file", want, exports(t, b))
	if again := runCopy(t, a, b); !strings.Contains(again, "0 answers") || !strings.Contains(again, "0 lab tasks") {
		t.Errorf("a second copy added something: %q", again)
	}

	pg := os.Getenv("SERVERSIDE_TEST_POSTGRES")
	if pg == "" {
		t.Log("PostgreSQL leg skipped: set SERVERSIDE_TEST_POSTGRES to run it")
		return
	}
	pg = pgtest.FreshSchema(t, pg)
	runCopy(t, a, pg)
	sameExports(t, "file to PostgreSQL", want, exports(t, pg))
	runCopy(t, pg, c)
	sameExports(t, "PostgreSQL back to a file", want, exports(t, c))
}

func TestProgressCopyRefusesAMissingSource(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.db")
	_, _, err := runProgressCmd(t, newRootCmd(), "", "progress", "copy", "--from", missing, "--to", filepath.Join(dir, "b.db"))
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("copy from a missing file: %v", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("copy created the source file it was told to read")
	}
}

// The commands work on a PostgreSQL server as on a file: import, the class
// report, users, a learner's summary and export; the URL's password never
// shows.
func TestCommandsOnPostgres(t *testing.T) {
	base := os.Getenv("SERVERSIDE_TEST_POSTGRES")
	if base == "" {
		t.Skip("PostgreSQL tests skipped: set SERVERSIDE_TEST_POSTGRES to run them")
	}
	pg := pgtest.FreshSchema(t, base)
	dir := t.TempDir()
	file := filepath.Join(dir, "class.db")
	classProgress(t, file, 2)
	runCopy(t, file, pg)
	run := func(args ...string) string {
		t.Helper()
		out, errOut, err := runProgressCmd(t, newRootCmd(), "", append([]string{"--db", pg}, args...)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut)
		}
		return out
	}
	if out := run("users"); !strings.Contains(out, "learner 0") || !strings.Contains(out, "learner 1") {
		t.Errorf("users on PostgreSQL:\n%s", out)
	}
	var fileReport, pgReport map[string]any
	if err := json.Unmarshal([]byte(run("report", "--format", "json")), &pgReport); err != nil {
		t.Fatal(err)
	}
	out, _, err := runProgressCmd(t, newRootCmd(), "", "--db", file, "report", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &fileReport); err != nil {
		t.Fatal(err)
	}
	delete(fileReport, "database")
	delete(pgReport, "database")
	delete(fileReport, "generated")
	delete(pgReport, "generated")
	fj, _ := json.Marshal(fileReport)
	pj, _ := json.Marshal(pgReport)
	if string(fj) != string(pj) {
		i := 0
		for i < len(fj) && i < len(pj) && fj[i] == pj[i] {
			i++
		}
		from := max(0, i-300)
		t.Errorf("the report differs between the file and the server at byte %d:\nfile …%s\n  pg …%s", i, fj[from:min(len(fj), i+300)], pj[from:min(len(pj), i+300)])
	}
	if out := run("--user", "learner 1", "progress"); !strings.Contains(out, "Progress of learner 1") {
		t.Errorf("progress on PostgreSQL:\n%s", out)
	}

	// A password in the URL is masked in what is printed, errors included.
	u := strings.Replace(base, "://", "://serverside:s3cret-pw@", 1)
	u = strings.Replace(u, "127.0.0.1:", "127.0.0.1:1", 1) // a port nothing listens on
	out, errOut, err := runProgressCmd(t, newRootCmd(), "", "--db", u, "users")
	if err == nil {
		t.Fatal("a server that is not there was reached")
	}
	if all := out + errOut + err.Error(); strings.Contains(all, "s3cret-pw") {
		t.Errorf("the password shows: %s", all)
	}
}
