package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"serverside/internal/hostile"
	"serverside/lessons"
	"serverside/render"
)

// Every lesson of the hostile corpus renders as the lesson screen renders
// it, within bounds, with a marker where it was flattened or cut, and the
// screen then shows it.
func TestHostileLessonsRenderWithinBounds(t *testing.T) {
	for _, c := range hostile.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			src := hostile.Lesson(c)
			if len(src) > lessons.MaxFileSize {
				t.Skip("larger than a lesson file may be: the loader refuses it")
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, c.Name+".md"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			course, _, err := lessons.LoadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			l := course.Lesson(c.Name)
			if l == nil {
				t.Fatalf("the lesson should load, bounded: %v", course.Broken)
			}
			md := lessonMarkdown(l)
			k := renderKey{content: hashText(md), width: maxTextWidth, theme: render.Dark}
			var msg renderedMsg
			start := time.Now()
			peak := hostile.Within(t, "render", func() { msg = renderCmd(NewRenderCache(), k, md)().(renderedMsg) })
			t.Logf("render: %v, heap %d MB, %d bytes out", time.Since(start).Round(time.Millisecond), peak>>20, len(msg.out))
			if msg.err != nil {
				t.Fatal(msg.err)
			}
			if !strings.Contains(msg.out, "⋯") {
				t.Errorf("no marker where the lesson was flattened or cut:\n%.400s", msg.out)
			}

			// The screen: open the lesson and see its text.
			var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(course), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs, Theme: render.Dark})
			m = run(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
			hostile.Within(t, "lesson screen", func() { m = run(t, m, press("enter")) })
			if v := view(m); !strings.Contains(v, c.Shows) {
				t.Errorf("the lesson's text is not on screen:\n%s", v)
			}
		})
	}
}
