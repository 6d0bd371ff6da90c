package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
	"serverside/render"
	"serverside/watch"
)

// Cards are drawn once and kept; an author's save draws them anew, so a
// card never shows a question's old prompt.
func TestCardsFollowAnAuthorsSave(t *testing.T) {
	dir := t.TempDir()
	src := func(prompt string) []byte {
		return []byte("---\nid: live\ntitle: Live\n---\n\n# Live\n\nSome text.\n\n```quiz\nid: q\ntype: truefalse\nprompt: " + prompt + "\nanswer: true\nexplain: It is.\n```\n\nThe end.\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "live.md"), src("The old prompt."), 0o644); err != nil {
		t.Fatal(err)
	}
	c, _, err := lessons.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(c), Progress: testLearner(t, testStore(t), "tess"), Labs: LocalLabs, Theme: render.Dark})
	m = run(t, m, tea.WindowSizeMsg{Width: 80, Height: 30})
	m = run(t, m, openLessonMsg{id: "live", scroll: -1})
	text := func() string { return ansi.Strip(strings.Join(m.(Model).top().(lessonScreen).lines, "\n")) }
	if !strings.Contains(text(), "The old prompt.") || !strings.Contains(text(), "End of the course") {
		t.Fatalf("the lesson does not show its card and end card:\n%s", text())
	}
	if err := os.WriteFile(filepath.Join(dir, "live.md"), src("The new prompt."), 0o644); err != nil {
		t.Fatal(err)
	}
	c2, probs, _ := lessons.LoadDir(dir)
	m = run(t, m, reloadMsg{watch.Update{Course: lessons.MergeLastGood(c, c2), Problems: probs, Changed: []string{"live.md"}}})
	if got := text(); !strings.Contains(got, "The new prompt.") || strings.Contains(got, "The old prompt.") {
		t.Errorf("after the save the card shows:\n%s", got)
	}
}
