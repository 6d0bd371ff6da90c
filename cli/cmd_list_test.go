package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
)

// listEnv is the test course, plus a broken lesson file, with ada having
// finished one lesson and started another.
func listEnv(t *testing.T) quizEnv {
	t.Helper()
	files := map[string]string{}
	for k, v := range testCourse {
		files[k] = v
	}
	files["02-more/02-broken.md"] = "no front matter here\n"
	env := newQuizEnv(t, files)
	store := env.open(t)
	ctx := t.Context()
	if err := store.StartLesson(ctx, "ada", "linking"); err != nil {
		t.Fatal(err)
	}
	if err := store.CompleteLesson(ctx, "ada", "no-questions"); err != nil {
		t.Fatal(err)
	}
	// Someone else's progress must not show.
	if err := store.CompleteLesson(ctx, "bob", "every-type"); err != nil {
		t.Fatal(err)
	}
	store.Close()
	return env
}

func TestListText(t *testing.T) {
	env := listEnv(t)
	out, _, err := runRoot(t, "", "list", "--lessons", env.dir, "--db", env.db, "--user", "ada")
	if err != nil {
		t.Fatal(err)
	}
	assertNoControls(t, "list", out)
	for _, want := range []string{"Test course: progress of ada\n", "\nBasics\n", "\nMore things\n",
		"3 lessons: 1 done, 1 in progress, 1 not started.", "1 lesson file could not be loaded", "02-more/02-broken.md"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	// Lesson rows: id, title and status, the status column aligned.
	rows := map[string]string{}
	statusCol := -1
	for _, line := range strings.Split(out, "\n") {
		for _, id := range []string{"every-type", "linking", "no-questions"} {
			if !strings.HasPrefix(line, "  "+id+" ") {
				continue
			}
			rows[id] = line
			fields := strings.Split(strings.TrimSpace(line), "  ")
			status := strings.TrimSpace(fields[len(fields)-1])
			col := ansi.StringWidth(line) - ansi.StringWidth(status)
			if statusCol >= 0 && col != statusCol {
				t.Errorf("status column not aligned (%d vs %d):\n%s", col, statusCol, out)
			}
			statusCol = col
		}
	}
	wantStatus := map[string]string{"every-type": "not started", "linking": "in progress", "no-questions": "done"}
	for id, st := range wantStatus {
		if !strings.HasSuffix(rows[id], "  "+st) {
			t.Errorf("%s: row %q, want status %q", id, rows[id], st)
		}
	}
	if !strings.Contains(rows["every-type"], "Every question type") {
		t.Errorf("row lacks the title: %q", rows["every-type"])
	}
	// Module order, and lesson order within a module.
	if strings.Index(out, "every-type") > strings.Index(out, "linking") || strings.Index(out, "More things") > strings.Index(out, "no-questions") {
		t.Errorf("out of order:\n%s", out)
	}
}

func TestListJSON(t *testing.T) {
	env := listEnv(t)
	out, _, err := runRoot(t, "", "list", "--json", "--lessons", env.dir, "--db", env.db, "--user", "ada")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Title   string
		User    string
		Modules []struct {
			ID      string
			Title   string
			Lessons []struct {
				ID, Title, Path, Status string
				Questions, Minutes      int
			}
		}
		Broken []struct{ Path, Module, Error string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.Title != "Test course" || got.User != "ada" || len(got.Modules) != 2 {
		t.Fatalf("listing: %+v", got)
	}
	m0, m1 := got.Modules[0], got.Modules[1]
	if m0.ID != "01-basics" || m0.Title != "Basics" || len(m0.Lessons) != 2 || m1.Title != "More things" || len(m1.Lessons) != 1 {
		t.Fatalf("modules: %+v", got.Modules)
	}
	every := m0.Lessons[0]
	if every.ID != "every-type" || every.Title != "Every question type" || every.Path != "01-basics/01-every-type.md" ||
		every.Questions != 6 || every.Minutes != 5 || every.Status != "not started" {
		t.Errorf("every-type: %+v", every)
	}
	if m0.Lessons[1].Status != "in progress" || m0.Lessons[1].Questions != 1 || m1.Lessons[0].Status != "done" || m1.Lessons[0].Questions != 0 {
		t.Errorf("statuses: %+v %+v", m0.Lessons[1], m1.Lessons[0])
	}
	if len(got.Broken) != 1 || got.Broken[0].Path != "02-more/02-broken.md" || !strings.Contains(got.Broken[0].Error, "front matter") {
		t.Errorf("broken: %+v", got.Broken)
	}
}

func TestListBuiltInCourseNewUser(t *testing.T) {
	db := t.TempDir() + "/p.db"
	createDB(t, db)
	out, _, err := runRoot(t, "", "list", "--json", "--db", db, "--user", "new")
	if err != nil {
		t.Fatal(err)
	}
	var got courseListing
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range got.Modules {
		for _, l := range m.Lessons {
			n++
			if l.Status != "not started" || l.ID == "" || l.Title == "" || !strings.HasSuffix(l.Path, ".md") {
				t.Errorf("lesson %+v", l)
			}
		}
	}
	if n == 0 || got.Broken == nil {
		t.Fatalf("built-in course: %d lessons, broken %v", n, got.Broken)
	}
}

func TestListHostileCourse(t *testing.T) {
	env := newQuizEnv(t, hostileCourse)
	env.open(t)
	for _, args := range [][]string{{"list"}, {"list", "--json"}} {
		out, _, err := runRoot(t, "", append(args, "--lessons", env.dir, "--db", env.db, "--user", "ada")...)
		if err != nil {
			t.Fatal(err)
		}
		assertNoControls(t, strings.Join(args, " "), out)
		if strings.Contains(out, `\u001b`) {
			t.Errorf("%v: ESC escaped into JSON:\n%s", args, out)
		}
	}
}

// On a terminal, list fits its width: ids whole, long titles cut with "…",
// and at a width too narrow for columns each title on its own line. Piped,
// every title is whole.
func TestListFitsTheTerminal(t *testing.T) {
	c, _ := lessons.Default()
	cl := listCourse(c, "ada", nil)
	longest := ""
	for _, l := range c.Lessons() {
		if len(l.Title) > len(longest) {
			longest = l.Title
		}
	}
	for _, width := range []int{80, 60, 40} {
		var b strings.Builder
		if err := writeListing(&b, cl, width); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for i, line := range strings.Split(out, "\n") {
			if w := ansi.StringWidth(line); w > width {
				t.Errorf("width %d: line %d is %d columns: %q", width, i+1, w, line)
			}
			if strings.HasSuffix(line, " ") {
				t.Errorf("width %d: line %d ends in spaces: %q", width, i+1, line)
			}
		}
		for _, l := range c.Lessons() {
			if !strings.Contains(out, "  "+l.ID+"  ") {
				t.Errorf("width %d: id %s is not whole", width, l.ID)
			}
		}
		if width == 80 && (!strings.Contains(out, "…") || strings.Contains(out, longest)) {
			t.Errorf("width 80: the longest title %q should be cut with …", longest)
		}
	}
	var b strings.Builder
	if err := writeListing(&b, cl, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), longest) || strings.Contains(b.String(), "…") {
		t.Error("piped, every title is whole")
	}
}
