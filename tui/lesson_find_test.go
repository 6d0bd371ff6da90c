package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/render"
)

// The search counts a match's column from a table of the line's columns;
// it must be the width ansi.StringWidth gives the text before the match,
// at every place a match can start.
func TestSearchColumnsAreTheWidthBeforeTheMatch(t *testing.T) {
	lines := []string{
		"plain ascii, a cell a byte",
		"",
		"café — an em dash, “quotes” and • bullets",
		"e\u0301 combining: cafe\u0301 again",
		"日本語のテキスト and wide text",
		"👍🏽 a skin tone, 🇩🇪🇫🇷 flags, 1️⃣ a keycap, 👩‍💻 a zwj",
		"a\ttab and a \x7f delete",
		"│ quote bar │ ─── rule",
	}
	// And every line of a real lesson as the screen shows it.
	var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(testCourse(t)), Progress: testLearner(t, testStore(t), "tess"), Labs: LocalLabs, Theme: render.Dark})
	m = run(t, m, tea.WindowSizeMsg{Width: 80, Height: 20})
	m = run(t, m, openLessonMsg{id: "every-type", scroll: -1})
	ls, ok := m.(Model).top().(lessonScreen)
	if !ok || len(ls.lines) == 0 {
		t.Fatal("the lesson did not open")
	}
	lines = append(lines, ls.lines...)
	s := lessonScreen{}
	for _, line := range lines {
		s.plain = []string{strings.ToLower(ansi.Strip(line))}
		s.cols = make([][]int32, 1)
		p := s.plain[0]
		for at := range p {
			if !utf8.RuneStart(p[at]) {
				continue
			}
			if got, want := s.column(0, at), ansi.StringWidth(p[:at]); got != want {
				t.Errorf("column of byte %d in %q is %d, want %d", at, p, got, want)
			}
		}
	}
}

// Matches are styled where they show: the current one strongly, the others
// in view plainly, and a phrase that wraps on both of its lines.
func TestSearchStylesTheMatchesInView(t *testing.T) {
	c := tinyCourse(t, map[string]string{"ports.md": longLesson()})
	var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(c), Progress: testLearner(t, testStore(t), "tess"), Labs: LocalLabs, Theme: render.Dark})
	m = run(t, m, tea.WindowSizeMsg{Width: 40, Height: 12})
	m = run(t, m, press("enter"))
	m = run(t, m, press("/"))
	m = typeText(t, m, "paragraph")
	l := m.(Model).top().(lessonScreen)
	st := l.sh.styles
	if len(l.search.matches) < 4 {
		t.Fatalf("%d matches of paragraph, want many", len(l.search.matches))
	}
	frame := l.View()
	cur := l.search.matches[l.search.current]
	if cur.line < l.vp.YOffset() || cur.line >= l.vp.YOffset()+l.height {
		t.Fatalf("current match on line %d is not in view (top %d)", cur.line, l.vp.YOffset())
	}
	if n := strings.Count(frame, st.CurrentMatch.Render("paragraph")); n != 1 {
		t.Errorf("the current match is styled %d times in view, want once:\n%q", n, frame)
	}
	inView := 0
	for _, mt := range l.search.matches {
		if mt.line >= l.vp.YOffset() && mt.line < l.vp.YOffset()+l.height-1 && mt != cur { // the last row is the field
			inView++
		}
	}
	if n := strings.Count(frame, st.Match.Render("paragraph")); n != inView {
		t.Errorf("%d other matches styled in view, want %d", n, inView)
	}
	// n moves the strong style to the next match.
	m = run(t, m, press("enter"))
	m = run(t, m, press("n"))
	l = m.(Model).top().(lessonScreen)
	next := l.search.matches[l.search.current]
	if next == cur {
		t.Fatal("n did not move to another match")
	}
	if !strings.Contains(l.View(), st.CurrentMatch.Render("paragraph")) {
		t.Error("after n the current match is not styled")
	}

	// A wrapped phrase: both halves styled.
	query, head, tail, at := "", "", "", -1
	word := regexp.MustCompile(`^[a-z]{4,}$`)
	for i := 0; i+1 < len(l.lines) && query == ""; i++ {
		a, b := strings.Fields(ansi.Strip(l.lines[i])), strings.Fields(ansi.Strip(l.lines[i+1]))
		if len(a) > 1 && len(b) > 1 && word.MatchString(a[len(a)-1]) && word.MatchString(b[0]) {
			head, tail, at = a[len(a)-1], b[0], i
			query = head + " " + tail
		}
	}
	if query == "" {
		t.Fatal("no line of the fixture wraps between two words at 40 columns")
	}
	m = run(t, m, press("/"))
	m = typeText(t, m, query)
	l = m.(Model).top().(lessonScreen)
	for i, mt := range l.search.matches {
		if mt.line == at && mt.tail > 0 {
			l.gotoMatch(i)
		}
	}
	frame = l.View()
	if !strings.Contains(frame, st.CurrentMatch.Render(head)) || !strings.Contains(frame, st.CurrentMatch.Render(tail)) {
		t.Errorf("the wrapped phrase is not styled on both lines:\n%q", frame)
	}
}
