package tui

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"serverside/render"
	"serverside/search"
)

// searchModel is the TUI with the course search open and its index built.
func searchModel(t *testing.T, w, h int) tea.Model {
	t.Helper()
	var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(testCourse(t)), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs, Theme: render.Dark})
	m = run(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	opened, cmd := m.(Model).openSearch()
	m = opened
	for _, msg := range collect(cmd) {
		m = run(t, m, msg)
	}
	if _, ok := m.(Model).top().(courseSearchScreen); !ok {
		t.Fatalf("search screen not on top: %T", m.(Model).top())
	}
	if m.(Model).sh.index == nil {
		t.Fatal("the index was not built when the search opened")
	}
	return m
}

func typeText(t *testing.T, m tea.Model, s string) tea.Model {
	t.Helper()
	for _, r := range s {
		m = run(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

func topSearch(t *testing.T, m tea.Model) courseSearchScreen {
	t.Helper()
	s, ok := m.(Model).top().(courseSearchScreen)
	if !ok {
		t.Fatalf("search screen not on top: %T", m.(Model).top())
	}
	return s
}

func TestCourseSearchShowsResultsAsYouType(t *testing.T) {
	m := searchModel(t, 80, 24)
	if !strings.Contains(view(m), "Type to search every lesson") {
		t.Fatalf("no prompt before typing:\n%s", view(m))
	}
	m = typeText(t, m, "idem")
	v := view(m)
	for _, want := range []string{"/ idem", "1 lesson", "Every question type", "Second section", "in a question", "Which are idempotent?"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	// A word in both lessons lists both; one in neither says so.
	m = run(t, m, tea.KeyPressMsg{Code: tea.KeyBackspace})
	for range 3 {
		m = run(t, m, tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	m = typeText(t, m, "first")
	if s := topSearch(t, m); len(s.results) != 2 {
		t.Errorf("\"first\" should find both lessons, got %v", s.results)
	}
	m = typeText(t, m, " zebra")
	if !strings.Contains(view(m), `No lesson has every word of "first zebra"`) {
		t.Errorf("no empty-result message:\n%s", view(m))
	}
}

func TestCourseSearchTypesQAndQuestionMark(t *testing.T) {
	m := searchModel(t, 80, 24)
	m = typeText(t, m, "q?")
	if m.(Model).quitting {
		t.Fatal("q quit the program instead of being typed")
	}
	if got := topSearch(t, m).input.Value(); got != "q?" {
		t.Errorf("field holds %q, want q?", got)
	}
	if m.(Model).help.ShowAll {
		t.Error("? opened the help instead of being typed")
	}
}

func TestCourseSearchEnterOpensTheLessonAtTheMatch(t *testing.T) {
	m := searchModel(t, 80, 24)
	m = typeText(t, m, "safe")
	s := topSearch(t, m)
	if len(s.results) == 0 {
		t.Fatalf("no results:\n%s", view(m))
	}
	_, _ = s.Update(press("enter"))
	msgs := asked(m)
	want := openLessonMsg{id: "every-type", scroll: -1, query: "safe"}
	if len(msgs) != 1 || !reflect.DeepEqual(msgs[0], want) {
		t.Fatalf("enter gave %#v, want %#v", msgs, want)
	}
	// Through the root: the lesson opens on top, searching for the query.
	m = run(t, m, press("enter"))
	l, ok := m.(Model).top().(lessonScreen)
	if !ok || l.lesson.ID != "every-type" || l.search.query != "safe" {
		t.Fatalf("lesson not opened with the search: %T", m.(Model).top())
	}
	// Back from the lesson (esc clears its search, then leaves) lands on
	// the results, as they were.
	m = run(t, m, press("esc"))
	m = run(t, m, press("esc"))
	if s := topSearch(t, m); s.input.Value() != "safe" || len(s.results) == 0 {
		t.Errorf("results lost on the way back: %q %v", s.input.Value(), s.results)
	}
}

func TestCourseSearchEscGoesBack(t *testing.T) {
	m := searchModel(t, 80, 24)
	m = typeText(t, m, "get")
	_, _ = topSearch(t, m).Update(press("esc"))
	msgs := asked(m)
	if len(msgs) != 1 || msgs[0] != (backMsg{}) {
		t.Fatalf("esc gave %#v, want backMsg", msgs)
	}
	m = run(t, m, press("esc"))
	if _, ok := m.(Model).top().(mapScreen); !ok {
		t.Errorf("esc should return to the map, top is %T", m.(Model).top())
	}
}

func TestCourseSearchDropsStaleResults(t *testing.T) {
	m := searchModel(t, 80, 24)
	s := topSearch(t, m)
	// Type without running the search commands: "g" then "e".
	next, cmd1 := s.Update(tea.KeyPressMsg{Code: 'g', Text: "g"})
	next, cmd2 := next.Update(tea.KeyPressMsg{Code: 'e', Text: "e"})
	first, second := collect(cmd1), collect(cmd2)
	var old, fresh searchResultsMsg
	for _, msg := range first {
		if r, ok := msg.(searchResultsMsg); ok {
			old = r
		}
	}
	for _, msg := range second {
		if r, ok := msg.(searchResultsMsg); ok {
			fresh = r
		}
	}
	if old.query != "g" || fresh.query != "ge" {
		t.Fatalf("searches for %q and %q, want g and ge", old.query, fresh.query)
	}
	// The answers arrive out of order: the older one must not win.
	next, _ = next.Update(fresh)
	next, _ = next.Update(old)
	got := next.(courseSearchScreen)
	if got.query != "ge" || !reflect.DeepEqual(got.results, fresh.results) {
		t.Errorf("stale results shown: query %q", got.query)
	}
}

func TestCourseSearchMovesAndMouse(t *testing.T) {
	m := searchModel(t, 80, 24)
	m = typeText(t, m, "first")
	if n := len(topSearch(t, m).results); n != 2 {
		t.Fatalf("want 2 results, got %d", n)
	}
	m = run(t, m, tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl})
	if c := topSearch(t, m).cursor; c != 1 {
		t.Errorf("ctrl+n: cursor %d, want 1", c)
	}
	m = run(t, m, tea.KeyPressMsg{Code: tea.KeyDown})
	if c := topSearch(t, m).cursor; c != 1 {
		t.Errorf("down past the end: cursor %d, want 1", c)
	}
	m = run(t, m, tea.KeyPressMsg{Code: 'p', Mod: tea.ModCtrl})
	if c := topSearch(t, m).cursor; c != 0 {
		t.Errorf("ctrl+p: cursor %d, want 0", c)
	}
	m = run(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if c := topSearch(t, m).cursor; c != 1 {
		t.Errorf("wheel down: cursor %d, want 1", c)
	}
	// Click the first result's snippet line: it is selected, not opened.
	s := topSearch(t, m)
	next, cmd := s.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: searchHeaderLines + 1})
	if next.(courseSearchScreen).cursor != 0 || cmd != nil {
		t.Fatalf("click selects: cursor %d", next.(courseSearchScreen).cursor)
	}
	// A second click on it opens it.
	_, _ = next.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: searchHeaderLines})
	msgs := asked(m)
	if len(msgs) != 1 {
		t.Fatalf("second click gave %v", msgs)
	}
	if o, ok := msgs[0].(openLessonMsg); !ok || o.id != s.results[0].LessonID {
		t.Errorf("second click gave %#v", msgs[0])
	}
	// The gap between results and the field select nothing.
	for _, y := range []int{0, searchHeaderLines + 2} {
		if after, _ := next.Update(tea.MouseClickMsg{Button: tea.MouseLeft, Y: y}); after.(courseSearchScreen).cursor != 0 {
			t.Errorf("click at line %d moved the cursor", y)
		}
	}
}

// A course reloaded while the search is open gets a new index.
func TestCourseSearchRebuildsForANewCourse(t *testing.T) {
	m := searchModel(t, 80, 24)
	old := m.(Model).sh.index
	m.(Model).sh.course = testCourse(t) // what a reload does
	m = typeText(t, m, "safe")
	ix := m.(Model).sh.index
	if ix == old || ix.Course() != m.(Model).sh.course {
		t.Fatal("index not rebuilt for the reloaded course")
	}
	if len(topSearch(t, m).results) == 0 {
		t.Errorf("no results after the rebuild:\n%s", view(m))
	}
}

func TestCourseSearchViewFits(t *testing.T) {
	for _, size := range [][2]int{{40, 12}, {80, 24}, {120, 40}} {
		m := searchModel(t, size[0], size[1])
		m = typeText(t, m, "the")
		lines := strings.Split(view(m), "\n")
		if len(lines) != size[1] {
			t.Errorf("%v: %d lines", size, len(lines))
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%v: line wider than the terminal (%d): %q", size, w, l)
			}
		}
		golden(t, "coursesearch-"+itoa(size[0])+"x"+itoa(size[1]), view(m))
	}
}

func TestClipSnippet(t *testing.T) {
	long := "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
	at := strings.Index(long, "kappa")
	tests := []struct {
		name       string
		text       string
		match      search.Span
		width      int
		want       string
		wantMarked string
	}{
		{"fits", "short text", search.Span{Start: 0, End: 5}, 20, "short text", "short"},
		{"match near the end", long, search.Span{Start: at, End: at + 5}, 24, "…iota kappa lambda mu", "kappa"},
		{"match at the start", long, search.Span{Start: 0, End: 5}, 12, "alpha beta…", "alpha"},
		{"match cut by the width", long, search.Span{Start: at, End: len(long)}, 10, "…kappa la…", "kappa la"},
		{"wide runes", "日本語のテキストで検索する", search.Span{Start: len("日本語のテキストで"), End: len("日本語のテキストで検索")}, 12, "…トで検索す…", "検索"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, marks := clipSnippet(tt.text, []search.Span{tt.match}, tt.match, tt.width)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if w := ansi.StringWidth(got); w > tt.width {
				t.Errorf("%q is %d cells, more than %d", got, w, tt.width)
			}
			if len(marks) != 1 || got[marks[0].Start:marks[0].End] != tt.wantMarked {
				t.Errorf("marks %v on %q, want %q marked", marks, got, tt.wantMarked)
			}
		})
	}
}

// Any width and any match: the result fits, and marks stay on the text.
func TestClipSnippetAlwaysFits(t *testing.T) {
	texts := []string{"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu", "日本語のテキストで検索する", "…a snippet that starts with dots and ends with them…"}
	for _, text := range texts {
		for start := 0; start < len(text); start++ {
			if !utf8.RuneStart(text[start]) {
				continue
			}
			_, n := utf8.DecodeRuneInString(text[start:])
			match := search.Span{Start: start, End: start + n}
			for width := 1; width <= 70; width++ {
				got, marks := clipSnippet(text, []search.Span{match}, match, width)
				if w := ansi.StringWidth(got); w > width && ansi.StringWidth(text) > width {
					t.Fatalf("%q at %d in %d cells: %q is %d cells", text, start, width, got, w)
				}
				for _, m := range marks {
					if m.Start < 0 || m.End > len(got) || m.Start >= m.End || !utf8.ValidString(got[m.Start:m.End]) {
						t.Fatalf("%q at %d in %d cells: mark %v on %q", text, start, width, m, got)
					}
				}
			}
		}
	}
}

// Typing while the index is built starts no second build; the results
// follow the index.
func TestCourseSearchTypingWhileIndexing(t *testing.T) {
	var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(testCourse(t)), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs, Theme: render.Dark})
	m = run(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	opened, build := m.(Model).openSearch()
	if build == nil {
		t.Fatal("no index build when the search opened")
	}
	var s screen = opened.top().(courseSearchScreen)
	var cmd tea.Cmd
	for _, r := range "get" {
		s, cmd = s.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		for _, msg := range collect(cmd) {
			if _, ok := msg.(searchIndexMsg); ok {
				t.Fatal("a second build started while the first runs")
			}
		}
	}
	if !strings.Contains(ansi.Strip(s.View()), "Indexing the course") {
		t.Errorf("no word of the build:\n%s", ansi.Strip(s.View()))
	}
	msgs := collect(build)
	if len(msgs) != 1 {
		t.Fatalf("build gave %v", msgs)
	}
	s, cmd = s.Update(msgs[0])
	msgs = collect(cmd)
	if len(msgs) != 1 {
		t.Fatalf("no search after the build: %v", msgs)
	}
	if r, ok := msgs[0].(searchResultsMsg); !ok || r.query != "get" {
		t.Fatalf("search after the build: %#v", msgs[0])
	}
	s, _ = s.Update(msgs[0])
	if got := s.(courseSearchScreen); got.query != "get" || len(got.results) == 0 {
		t.Errorf("results for %q: %v", got.query, got.results)
	}
}

// A whole program: / on the map, type, enter, and the lesson opens at the
// match.
func TestProgramCourseSearch(t *testing.T) {
	m := New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(testCourse(t)), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs, Theme: render.Dark})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	waitFor := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(5*time.Second))
	}
	waitFor("Every question type")
	tm.Send(tea.KeyPressMsg{Code: '/', Text: "/"})
	waitFor("Type to search every lesson")
	tm.Type("idempotent")
	waitFor("in a question")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("Some text before the first question")
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(Model)
	if l, ok := final.top().(lessonScreen); !ok || l.lesson.ID != "every-type" || l.search.query != "idempotent" {
		t.Errorf("want the lesson open with its search, top is %T (%+v)", final.top(), func() any {
			if l, ok := final.top().(lessonScreen); ok {
				return []string{l.lesson.ID, l.search.query}
			}
			return nil
		}())
	}
}
