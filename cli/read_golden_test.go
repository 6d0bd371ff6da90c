package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
	"serverside/render"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files")

// TestReadEveryConstruct pins how `read` shows a lesson with every
// construct lessons use: lists with soft breaks, nested lists, code in
// lists, long code lines, URLs, lesson links of every style, callouts,
// images (markdown and HTML), tables and a question with markdown. Plain
// output, and styled output with its escapes stripped, at two widths.
func TestReadEveryConstruct(t *testing.T) {
	dir := filepath.Join("testdata", "every-construct")
	c, probs, err := lessons.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		if p.Severity == lessons.Error {
			t.Fatalf("fixture: %v", p)
		}
	}
	l := c.Lesson("constructs")
	for _, tc := range []struct {
		theme render.Theme
		width int
	}{{render.Plain, 80}, {render.Plain, 40}, {render.Dark, 80}, {render.Light, 40}} {
		name := string(tc.theme) + "-" + strconv.Itoa(tc.width)
		t.Run(name, func(t *testing.T) {
			out, err := renderLesson(c, l, tc.width, tc.theme)
			if err != nil {
				t.Fatal(err)
			}
			if tc.theme == render.Plain && strings.Contains(out, "\x1b") {
				t.Fatal("plain output holds escape sequences")
			}
			got := ansi.Strip(out)
			path := filepath.Join(dir, "read-"+name+".golden")
			if *updateGolden {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestReadEveryConstruct -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("read %s differs from %s (rerun with -update if the change is intended):\n%s", name, path, got)
			}
		})
	}
}

// read shows the lesson's own first heading, plain and styled alike, not
// the front matter's title in one and the body's in the other.
func TestReadKeepsTheLessonsOwnHeading(t *testing.T) {
	c, _, err := lessons.LoadDir(filepath.Join("testdata", "every-construct"))
	if err != nil {
		t.Fatal(err)
	}
	l := c.Lesson("constructs")
	for _, theme := range []render.Theme{render.Plain, render.Dark} {
		out, err := renderLesson(c, l, 80, theme)
		if err != nil {
			t.Fatal(err)
		}
		first := strings.TrimSpace(strings.SplitN(strings.TrimLeft(ansi.Strip(out), "\n"), "\n", 2)[0])
		if !strings.HasSuffix(first, "Lesson 7: every construct") || strings.Contains(out, l.Title) {
			t.Errorf("%s: first line %q; the front matter title %q should not show", theme, first, l.Title)
		}
	}
}
