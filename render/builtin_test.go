package render_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
	"serverside/render"
)

// Every built-in lesson renders within the width where lines can't run
// on (the TUI), in every theme, at a narrow and a usual width.
func TestBuiltInLessonsFitTheWidth(t *testing.T) {
	c, _ := lessons.Default()
	widths := []int{30, 80}
	if testing.Short() {
		widths = widths[1:]
	}
	for _, l := range c.Lessons() {
		for _, theme := range []render.Theme{render.Plain, render.Dark, render.Contrast} {
			for _, w := range widths {
				out, err := render.Render(l.Body, render.Options{Width: w, Theme: theme, CutWide: true})
				if err != nil {
					t.Fatalf("%s: %v", l.ID, err)
				}
				for i, line := range strings.Split(out, "\n") {
					if n := ansi.StringWidth(line); n > w {
						t.Errorf("%s %s at %d: line %d is %d columns: %q", l.ID, theme, w, i+1, n, ansi.Strip(line))
						break
					}
				}
				if theme == render.Plain && strings.ContainsAny(out, "\x1b") {
					t.Errorf("%s: escape in plain output", l.ID)
				}
			}
		}
	}
}
