package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
)

// shopLab is the SQL lab of the built-in relational lesson.
func shopLab(t *testing.T) *lessons.Lab {
	t.Helper()
	c, _ := lessons.Default()
	for _, l := range c.Lessons() {
		for _, lab := range l.Labs {
			if lab.ID == "shop-queries" {
				return lab
			}
		}
	}
	t.Fatal("no shop-queries lab in the built-in course")
	return nil
}

func startSQLLab(t *testing.T, sh *shared, lab *lessons.Lab, w, h int) sqlLabScreen {
	t.Helper()
	s, cmd, err := newLabScreen(sh, labLesson, lab)
	if err != nil {
		t.Fatal(err)
	}
	s = s.SetSize(w, h)
	s, _ = feed(t, s, started(t, cmd), func(s screen) bool { return s.(sqlLabScreen).lab != nil })
	q := s.(sqlLabScreen)
	t.Cleanup(func() { q.lab.Close() })
	return q
}

func pgdn() tea.KeyPressMsg { return tea.KeyPressMsg{Code: tea.KeyPgDown} }

// At 80x24 (a body of 22 lines) a wrong check's message and hints leave
// the result rows on screen, and pgdn scrolls them from the editor.
func TestSQLLabResultsKeepRoomAt80x24(t *testing.T) {
	q := startSQLLab(t, labShared(t), shopLab(t), 80, 22)
	// The second task has a hint; a wrong answer with many rows.
	q.task, q.moved = 1, true
	q.editor.SetValue("SELECT id, status FROM orders ORDER BY id")
	s, _ := feed(t, q, ctrl('g'), func(s screen) bool { return !s.(sqlLabScreen).running })
	view := ansi.Strip(s.View())
	if !strings.Contains(view, "Hint: GROUP BY") || !strings.Contains(view, "Not yet") {
		t.Fatalf("feedback missing:\n%s", view)
	}
	lines := strings.Split(view, "\n")
	if len(lines) > 22 {
		t.Fatalf("view is %d lines, the body has 22:\n%s", len(lines), view)
	}
	rows := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "1  ") || strings.Contains(l, " │ ") && !strings.Contains(l, "status") {
			rows++
		}
	}
	if rows < 4 {
		t.Fatalf("only %d result rows at 80x24:\n%s", rows, view)
	}
	if !strings.Contains(view, "1–") {
		t.Fatalf("no row range in the summary:\n%s", view)
	}
	// pgdn while the editor has the focus scrolls the rows, and types nothing.
	before := q.editor.Value()
	s, _ = feed(t, s, pgdn(), nil)
	q = s.(sqlLabScreen)
	if q.scroll == 0 || q.editor.Value() != before {
		t.Fatalf("pgdn: scroll %d, editor %q", q.scroll, q.editor.Value())
	}
	if view := ansi.Strip(q.View()); !strings.Contains(view, "│") || strings.Contains(view, "\n1  ") {
		t.Fatalf("after pgdn the first row still shows:\n%s", view)
	}
	for range 2000 {
		s, _ = s.Update(pgdn())
	}
	if q := s.(sqlLabScreen); q.scroll != q.maxScroll() {
		t.Fatalf("scroll %d past the end %d", q.scroll, q.maxScroll())
	}
	assertFits(t, s.View(), 80)
}

// A taller window gives its room to the results, not the editor.
func TestSQLLabTallerWindowGrowsResults(t *testing.T) {
	q := startSQLLab(t, labShared(t), shopLab(t), 80, 22)
	q.editor.SetValue("SELECT id, name FROM customers")
	s, _ := feed(t, q, ctrl('s'), func(s screen) bool { return s.(sqlLabScreen).result != nil })
	short := s.(sqlLabScreen)
	tall := s.SetSize(80, 28).(sqlLabScreen)
	if short.editor.Height() != tall.editor.Height() {
		t.Fatalf("editor grew from %d to %d lines", short.editor.Height(), tall.editor.Height())
	}
	if a, b := short.layout().rows, tall.layout().rows; b < a+6 {
		t.Fatalf("rows %d at 24 lines, %d at 30", a, b)
	}
	for _, size := range [][2]int{{40, 10}, {80, 22}, {120, 38}} {
		v := s.SetSize(size[0], size[1]).View()
		assertFits(t, v, size[0])
		if n := strings.Count(v, "\n") + 1; n > size[1] {
			t.Fatalf("%dx%d: %d lines:\n%s", size[0], size[1], n, ansi.Strip(v))
		}
	}
}

// ctrl+r in session B starts over without moving B's text into A.
func TestSQLLabResetKeepsEachSessionsText(t *testing.T) {
	q := startSQLLab(t, labShared(t), shopLab(t), 100, 38)
	q.editor.SetValue("SELECT 'a'")
	s, _ := feed(t, q, ctrl('o'), func(s screen) bool { return len(s.(sqlLabScreen).sessions) == 2 })
	q = s.(sqlLabScreen)
	q.editor.SetValue("SELECT 'b'")
	s, root := feed(t, q, ctrl('r'), func(s screen) bool { return s.(sqlLabScreen).lab != nil })
	q = s.(sqlLabScreen)
	t.Cleanup(func() { q.lab.Close() })
	if q.sessionName() != "A" || q.editor.Value() != "SELECT 'a'" {
		t.Fatalf("after reset: session %s, editor %q", q.sessionName(), q.editor.Value())
	}
	_ = root
	s, _ = feed(t, q, ctrl('o'), func(s screen) bool { return len(s.(sqlLabScreen).sessions) == 2 })
	if q := s.(sqlLabScreen); q.sessionName() != "B" || q.editor.Value() != "SELECT 'b'" {
		t.Fatalf("B reopened: session %s, editor %q", q.sessionName(), q.editor.Value())
	}
}

// ctrl+s and ctrl+g on an empty editor both say so; tasks show by title.
func TestSQLLabEmptyEditorAndTaskTitles(t *testing.T) {
	q := startSQLLab(t, labShared(t), shopLab(t), 100, 38)
	for _, k := range []tea.KeyPressMsg{ctrl('s'), ctrl('g')} {
		_, root := feed(t, q, k, nil)
		if len(root) != 1 || root[0] != (statusMsg{"Write a query first."}) {
			t.Errorf("%s on an empty editor: %v", k, root)
		}
	}
	view := ansi.Strip(q.View())
	if strings.Contains(view, "lisbon") || !strings.Contains(view, "1. Customers in Lisbon") {
		t.Fatalf("tasks not by title:\n%s", view)
	}
}

// A passed task moves the selection to the next one not done, and a new
// visit starts at the first task not done.
func TestSQLLabMovesOnToTheNextTask(t *testing.T) {
	sh := labShared(t)
	q := startSQLLab(t, sh, shopLab(t), 100, 38)
	q.editor.SetValue("SELECT name, email FROM customers WHERE city = 'Lisbon'")
	s, root := feed(t, q, ctrl('g'), func(s screen) bool { return s.(sqlLabScreen).saved["lisbon"] })
	q = s.(sqlLabScreen)
	if q.task != 1 {
		t.Fatalf("after passing task 1 the selection is %d", q.task)
	}
	_ = root
	labMsgs(t, saveLabTasks(sh, q.key, "lisbon"))
	again := startSQLLab(t, sh, shopLab(t), 100, 38)
	s, _ = feed(t, again, labMsgs(t, loadLabTasks(sh, again.key))[0], nil)
	if got := s.(sqlLabScreen).task; got != 1 {
		t.Fatalf("a new visit selects task %d, want 1 (the first not done)", got)
	}
}

// A task's prompt is markdown: the lab shows it as clean text, with no
// backticks around `products_fts`.
func TestSQLLabTaskPromptIsRenderedText(t *testing.T) {
	c, _ := lessons.Default()
	var fts *lessons.Lab
	for _, l := range c.Lessons() {
		for _, lab := range l.Labs {
			if lab.ID == "fts5-lab" {
				fts = lab
			}
		}
	}
	if fts == nil {
		t.Fatal("no fts5-lab in the built-in course")
	}
	q := startSQLLab(t, labShared(t), fts, 100, 38)
	view := ansi.Strip(q.View())
	if strings.Contains(view, "`") || !strings.Contains(view, "external-content table products_fts") {
		t.Fatalf("the task prompt is not clean text:\n%s", view)
	}
}
