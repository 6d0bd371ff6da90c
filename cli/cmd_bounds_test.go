package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"serverside/internal/hostile"
	"serverside/lessons"
	"serverside/render"
)

// hostileCourse writes the hostile corpus as a course: one lesson file per
// case. Cases larger than a lesson file may be stay in, to be refused.
func hostileCorpusCourse(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, c := range hostile.Cases() {
		if err := os.WriteFile(filepath.Join(dir, c.Name+".md"), []byte(hostile.Lesson(c)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The small cases are kept as files too, for authors to try; they must be
// the cases the tests run. HOSTILE_UPDATE=1 rewrites them.
func TestHostileCorpusFiles(t *testing.T) {
	dir := filepath.Join("testdata", "hostile")
	for _, c := range hostile.Cases() {
		want := hostile.Lesson(c)
		p := filepath.Join(dir, c.Name+".md")
		if len(want) > hostile.Large {
			continue
		}
		if os.Getenv("HOSTILE_UPDATE") == "1" {
			if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != want {
			t.Errorf("%s is not the case the tests run (HOSTILE_UPDATE=1 go test -run TestHostileCorpusFiles rewrites it): %v", p, err)
		}
	}
}

// Every case of the corpus: lint reports it at its line with what to do,
// and read (plain, and styled as on a terminal) shows its text bounded,
// with a marker, within the guard's time and heap.
func TestHostileCorpusLintAndRead(t *testing.T) {
	dir := hostileCorpusCourse(t)

	var stdout string
	hostile.Within(t, "lint", func() { stdout, _, _ = runRoot(t, "", "lint", "--json", dir) })
	var probs []lessons.Problem
	if err := json.Unmarshal([]byte(stdout), &probs); err != nil {
		t.Fatalf("lint --json: %v\n%s", err, stdout)
	}
	for _, c := range hostile.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			var mine []lessons.Problem
			for _, p := range probs {
				if strings.HasSuffix(p.Path, "/"+c.Name+".md") {
					mine = append(mine, p)
				}
			}
			if len(hostile.Lesson(c)) > lessons.MaxFileSize {
				if len(mine) != 1 || !strings.Contains(mine[0].Message, "may be at most 2 MB") {
					t.Errorf("a file past 2 MB should be refused, got %v", mine)
				}
				return
			}
			bodyStart := 5 // the line after the corpus's front matter
			reported := false
			for _, p := range mine {
				if p.Severity == lessons.Error && p.Line >= bodyStart && strings.Contains(p.Message, ": ") &&
					strings.ContainsAny(p.Message, ";") {
					reported = true
				}
			}
			if !reported {
				t.Errorf("lint does not report the excess at a line of the body with what to do: %v", mine)
			}

			// Each read loads a course of just this lesson.
			one := writeCourse(t, map[string]string{c.Name + ".md": hostile.Lesson(c)})
			course, _, err := lessons.LoadDir(one)
			if err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"read", c.Name}, {"read", c.Name, "--plain"}} {
				var out string
				start := time.Now()
				peak := hostile.Within(t, strings.Join(args, " "), func() { out, _, err = runRoot(t, "", append(args, "--lessons", one)...) })
				t.Logf("%s: %v, heap %d MB", strings.Join(args, " "), time.Since(start).Round(time.Millisecond), peak>>20)
				if err != nil {
					t.Fatalf("%v: %v", args, err)
				}
				if !strings.Contains(out, "⋯") || !strings.Contains(out, c.Shows) {
					t.Errorf("%v: want the text (%q) and a marker:\n%.400s", args, c.Shows, out)
				}
			}
			// Styled, as read writes to a terminal.
			var styled string
			hostile.Within(t, "styled read", func() { styled, err = renderLesson(course, course.Lesson(c.Name), readWidthCap, render.Dark) })
			if err != nil {
				t.Fatal(err)
			}
			if plain := ansi.Strip(styled); !strings.Contains(plain, "⋯") || !strings.Contains(plain, c.Shows) {
				t.Errorf("styled: want the text (%q) and a marker:\n%.400s", c.Shows, plain)
			}
		})
	}
}

// --width has an upper bound: a huge one is clamped, not rendered.
func TestReadWidthIsClamped(t *testing.T) {
	dir := writeCourse(t, testCourse)
	var out string
	var err error
	hostile.Within(t, "read --width 100000", func() {
		out, _, err = runRoot(t, "", "read", "every-type", "--width", "100000", "--lessons", dir)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(line); w > render.MaxWidth {
			t.Fatalf("a line %d columns wide, past --width's bound of %d: %q", w, render.MaxWidth, line[:80])
		}
	}
	if !strings.Contains(out, "Every question type") {
		t.Errorf("lesson text missing:\n%s", out)
	}
}

// The tutor on an empty --lessons folder says so and creates no progress
// database: the store is opened only once the course has loaded.
func TestTutorOnAnEmptyFolderCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "course")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "progress.db")
	_, _, err := runProgressCmd(t, newRootCmd(), "", "--lessons", empty, "--db", db)
	if err == nil || !strings.Contains(err.Error(), "no lessons found") {
		t.Fatalf("tutor on an empty folder: %v", err)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("the tutor created a progress database for a course that did not load")
	}
}
