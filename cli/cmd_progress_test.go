package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"serverside/lessons"
	"serverside/progress"
	"serverside/progress/sqlite"
)

func runProgressCmd(t *testing.T, cmd *cobra.Command, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(args)
	cmd.SetContext(t.Context())
	err = cmd.Execute()
	return out.String(), errOut.String(), err
}

// seedProgress gives "ada" answers to every question of the course's first
// lesson with questions (all right but the first), completes it, and flags
// one question. It returns that lesson.
func seedProgress(t *testing.T, g *globals) *lessons.Lesson {
	t.Helper()
	course, _, err := g.LoadCourse()
	if err != nil {
		t.Fatal(err)
	}
	var lesson *lessons.Lesson
	for _, l := range course.Lessons() {
		if len(l.Questions) >= 2 {
			lesson = l
			break
		}
	}
	if lesson == nil {
		t.Fatal("the built-in course has no lesson with two questions")
	}
	ctx := context.Background()
	s, err := g.OpenStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, q := range lesson.Questions {
		if _, err := s.RecordAttempt(ctx, progress.Attempt{User: "ada", LessonID: lesson.ID, QuestionID: q.ID,
			QuestionHash: q.Hash, Answer: `"x"`, Correct: i > 0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CompleteLesson(ctx, "ada", lesson.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTime(ctx, "ada", lesson.ID, 125); err != nil {
		t.Fatal(err)
	}
	if err := s.Flag(ctx, "ada", lesson.ID, lesson.Questions[0].ID, "=the answer looks wrong"); err != nil {
		t.Fatal(err)
	}
	return lesson
}

func TestProgressSummary(t *testing.T) {
	g := &globals{dbPath: filepath.Join(t.TempDir(), "p.db"), user: "ada"}
	lesson := seedProgress(t, g)
	n := len(lesson.Questions)

	stdout, _, err := runProgressCmd(t, newProgressCmd(g), "", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var sum progressSummary
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("--json output: %v\n%s", err, stdout)
	}
	if sum.User != "ada" || sum.Done != 1 || sum.Answered != n || sum.Right != n-1 || sum.Attempts != n ||
		sum.StreakDays != 1 || sum.Seconds != 125 || len(sum.Forecast) != 7 || sum.Lessons < 2 {
		t.Errorf("summary = %+v", sum)
	}
	var found bool
	for _, m := range sum.Modules {
		for _, l := range m.Lessons {
			if l.ID == lesson.ID {
				found = true
				if l.Status != "done" || l.Right != n-1 || l.Questions != n || l.Score != float64(n-1)/float64(n) {
					t.Errorf("lesson line = %+v", l)
				}
			}
		}
	}
	if !found {
		t.Errorf("summary lacks lesson %s", lesson.ID)
	}

	stdout, _, err = runProgressCmd(t, newProgressCmd(g), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Progress of ada", "1 of ", lesson.ID, "1 day", "2m", g.dbPath} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary text lacks %q:\n%s", want, stdout)
		}
	}
}

func TestProgressExportImport(t *testing.T) {
	dir := t.TempDir()
	g := &globals{dbPath: filepath.Join(dir, "p.db"), user: "ada"}
	lesson := seedProgress(t, g)
	file := filepath.Join(dir, "ada.json")
	if _, stderr, err := runProgressCmd(t, newProgressCmd(g), "", "export", "-o", file); err != nil || !strings.Contains(stderr, file) {
		t.Fatalf("export: %v %s", err, stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil || !json.Valid(data) {
		t.Fatalf("export file: %v", err)
	}
	stdout, _, err := runProgressCmd(t, newProgressCmd(g), "", "export")
	if err != nil || !json.Valid([]byte(stdout)) {
		t.Fatalf("export to stdout: %v", err)
	}

	other := &globals{dbPath: filepath.Join(dir, "other.db"), user: "ada"}
	stdout, _, err = runProgressCmd(t, newProgressCmd(other), "", "import", file)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Imported the progress of ada: " + countOf(len(lesson.Questions), "new answer"); !strings.Contains(stdout, want) {
		t.Errorf("first import said %q, want %q", stdout, want)
	}
	stdout, _, err = runProgressCmd(t, newProgressCmd(other), "", "import", file)
	if err != nil || !strings.Contains(stdout, "0 new answers, 0 lesson states, 0 review cards, 0 flags") {
		t.Errorf("second import said %q, %v", stdout, err)
	}
	if _, _, err := runProgressCmd(t, newProgressCmd(other), "not json", "import", "-"); err == nil {
		t.Error("importing garbage from stdin succeeded")
	}
	if _, _, err := runProgressCmd(t, newProgressCmd(other), "", "import", filepath.Join(dir, "missing.json")); err == nil {
		t.Error("importing a missing file succeeded")
	}
}

func TestProgressResetAndUndo(t *testing.T) {
	g := &globals{dbPath: filepath.Join(t.TempDir(), "p.db"), user: "ada"}
	lesson := seedProgress(t, g)
	done := func() int {
		t.Helper()
		stdout, _, err := runProgressCmd(t, newProgressCmd(g), "", "--json")
		if err != nil {
			t.Fatal(err)
		}
		var sum progressSummary
		if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
			t.Fatal(err)
		}
		return sum.Done
	}
	// Declining (or no answer at all) resets nothing.
	for _, in := range []string{"n\n", ""} {
		_, stderr, err := runProgressCmd(t, newProgressCmd(g), in, "reset", lesson.ID)
		if err != nil || !strings.Contains(stderr, "Nothing was reset") || !strings.Contains(stderr, "[y/N]") {
			t.Errorf("declined reset: %v %q", err, stderr)
		}
	}
	if done() != 1 {
		t.Fatal("a declined reset changed progress")
	}
	if _, _, err := runProgressCmd(t, newProgressCmd(g), "y\n", "reset", lesson.ID); err != nil {
		t.Fatal(err)
	}
	if done() != 0 {
		t.Error("reset lesson is still done")
	}
	if stdout, _, err := runProgressCmd(t, newProgressCmd(g), "", "undo-reset"); err != nil || !strings.Contains(stdout, "Restored") {
		t.Fatalf("undo-reset: %v %q", err, stdout)
	}
	if done() != 1 {
		t.Error("undo-reset did not bring the lesson back")
	}
	if _, _, err := runProgressCmd(t, newProgressCmd(g), "", "undo-reset"); err == nil || !strings.Contains(err.Error(), "no reset to undo") {
		t.Errorf("second undo-reset: %v", err)
	}
	if _, _, err := runProgressCmd(t, newProgressCmd(g), "", "reset", "--yes"); err != nil {
		t.Fatal(err)
	}
	if done() != 0 {
		t.Error("reset --yes of everything left a lesson done")
	}
	// A lesson since removed from the course can still be reset.
	s, err := g.OpenStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordAttempt(context.Background(), progress.Attempt{User: "ada", LessonID: "retired-lesson",
		QuestionID: "q", Answer: `"x"`}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if stdout, _, err := runProgressCmd(t, newProgressCmd(g), "", "reset", "retired-lesson", "--yes"); err != nil ||
		!strings.Contains(stdout, "lesson retired-lesson") {
		t.Errorf("reset of a lesson no longer in the course: %v %q", err, stdout)
	}
	if _, _, err := runProgressCmd(t, newProgressCmd(g), "", "reset", "no-such-lesson", "--yes"); err == nil ||
		!strings.Contains(err.Error(), `no lesson "no-such-lesson"`) {
		t.Errorf("reset of an unknown lesson: %v", err)
	}
}

func TestUsersCmd(t *testing.T) {
	g := &globals{dbPath: filepath.Join(t.TempDir(), "p.db"), user: "ada"}
	seedProgress(t, g)
	s, err := g.OpenStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureUser(context.Background(), "grace"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	stdout, _, err := runProgressCmd(t, newUsersCmd(g), "", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var list []userListing
	if err := json.Unmarshal([]byte(stdout), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "ada" || !list[0].Current || list[0].Done != 1 || list[1].Current || list[1].Answered != 0 {
		t.Errorf("users = %+v", list)
	}
	stdout, _, err = runProgressCmd(t, newUsersCmd(g), "")
	if err != nil || !strings.Contains(stdout, "* ada") || !strings.Contains(stdout, "  grace") {
		t.Errorf("users text: %v\n%s", err, stdout)
	}
	empty := &globals{dbPath: filepath.Join(t.TempDir(), "e.db"), user: "ada"}
	createDB(t, empty.dbPath)
	if stdout, _, err := runProgressCmd(t, newUsersCmd(empty), ""); err != nil || !strings.Contains(stdout, "No learners yet") {
		t.Errorf("users on an empty database: %v %q", err, stdout)
	}
}

func TestReportCmd(t *testing.T) {
	g := &globals{dbPath: filepath.Join(t.TempDir(), "p.db"), user: "ada"}
	lesson := seedProgress(t, g)
	course, _, _ := g.LoadCourse()
	total := len(course.Lessons())
	st, err := g.OpenStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CompleteLabTask(context.Background(), "ada", lesson.ID, "lab", "task"); err != nil {
		t.Fatal(err)
	}
	st.Close()

	stdout, _, err := runProgressCmd(t, newReportCmd(g), "", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+total || rows[0][0] != "user" || rows[0][4] != "status" {
		t.Fatalf("csv: %d rows, header %v; want 1 + %d", len(rows), rows[0], total)
	}
	var row []string
	for _, r := range rows[1:] {
		if r[2] == lesson.ID {
			row = r
		}
	}
	n := len(lesson.Questions)
	if row == nil || row[0] != "ada" || row[4] != "done" || row[5] != strconv.Itoa(n) || row[7] != strconv.Itoa(n-1) || row[len(row)-1] != "1" {
		t.Errorf("csv row for %s = %v", lesson.ID, row)
	}

	stdout, _, err = runProgressCmd(t, newReportCmd(g), "", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var cr classReport
	if err := json.Unmarshal([]byte(stdout), &cr); err != nil {
		t.Fatal(err)
	}
	if len(cr.Users) != 1 || cr.Users[0].Done != 1 || cr.Users[0].Right != n-1 || len(cr.Lessons) != total || cr.Users[0].LabTasks != 1 ||
		len(cr.Flags) != 1 || cr.Flags[0].Comment != "=the answer looks wrong" || time.Since(cr.Generated) > time.Hour {
		t.Errorf("json report = %+v", cr)
	}

	stdout, _, err = runProgressCmd(t, newReportCmd(g), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LEARNER", "LAB TASKS", "ada", "1/" + strconv.Itoa(total), "Flagged questions (1)", lesson.Questions[0].ID} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
	if _, _, err := runProgressCmd(t, newReportCmd(g), "", "--format", "xml"); err == nil || !strings.Contains(err.Error(), "table, csv or json") {
		t.Errorf("--format xml: %v", err)
	}
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "ada": "ada", "": "", "@x": "'@x"} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// A --user no store would take is refused by every command, the ones that
// only read too: `progress --user "alice\u200b"` printed "Progress of
// alice" with the invisible character in it, as if it were a learner.
func TestUserFlagIsChecked(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	store, err := sqlite.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	for _, args := range [][]string{{"progress"}, {"list"}} {
		out, _, err := runRoot(t, "", append(args, "--db", db, "--user", "alice\u200b")...)
		if err == nil || !strings.Contains(err.Error(), "--user") || !strings.Contains(err.Error(), "U+200B") {
			t.Errorf("%v: %v\n%s", args, err, out)
		}
	}
	if _, _, err := runRoot(t, "", "progress", "--db", db, "--user", "alice"); err != nil {
		t.Errorf("a plain name: %v", err)
	}
}
