package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
	"serverside/progress"
	"serverside/render"
)

// Benchmarks of what the learner waits for: the first frame, opening a
// lesson, a scroll key. Run them with
//
//	go test -run '^$' -bench . -benchmem ./tui ./render
//
// They drive the root model directly, as the Bubble Tea runtime would,
// without a terminal: the figures are the model's own work.

// benchSink keeps results alive so the compiler can't drop the work.
var benchSink string

func benchOptions(b *testing.B, course *lessons.Course) Options {
	b.Helper()
	store, err := progress.Open(context.Background(), filepath.Join(b.TempDir(), "progress.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	if _, err := store.EnsureUser(context.Background(), "bench"); err != nil {
		b.Fatal(err)
	}
	return Options{Course: StaticCourse(course), Progress: testLearner(b, store, "bench"), Profiles: testProfiles{store: store}, Labs: LocalLabs, Theme: render.Dark, NewPerDay: 20}
}

func benchDefaultCourse(b *testing.B) *lessons.Course {
	b.Helper()
	c, probs := lessons.Default()
	for _, p := range probs {
		if p.Severity == lessons.Error {
			b.Fatalf("built-in course: %v", p)
		}
	}
	if len(c.Lessons()) == 0 {
		b.Fatal("built-in course has no lessons")
	}
	return c
}

// benchStates runs the command that loads the learner's progress once and
// returns its message, so a benchmark can feed it without the SQL.
func benchStates(b *testing.B, o Options) tea.Msg {
	b.Helper()
	msg := loadStates(New(context.Background(), o).sh)()
	if _, ok := msg.(statesMsg); !ok {
		b.Fatalf("loading progress gave %T (%v), want statesMsg", msg, msg)
	}
	return msg
}

func benchUpdate(m tea.Model, msg tea.Msg) tea.Model {
	m, _ = m.Update(msg)
	return m
}

func benchView(m tea.Model) string { return m.(Model).View().Content }

// benchKey is a printable key press, as the terminal sends it.
func benchKey(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// BenchmarkLoadDefaultCourse is parsing the embedded course, which main
// does before the first frame.
func BenchmarkLoadDefaultCourse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c, _ := lessons.Default()
		if len(c.Modules) == 0 {
			b.Fatal("no modules")
		}
	}
}

// BenchmarkFirstFrame is the root model from New to the first View of the
// course map: Init's synchronous part, the first window size, the
// learner's progress arriving, the frame.
func BenchmarkFirstFrame(b *testing.B) {
	course := benchDefaultCourse(b)
	o := benchOptions(b, course)
	states := benchStates(b, o)
	first := course.Lessons()[0].Title
	check := func(frame string) {
		if !strings.Contains(ansi.Strip(frame), first) {
			b.Fatalf("first frame does not show the first lesson %q:\n%s", first, ansi.Strip(frame))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		var m tea.Model = New(context.Background(), o)
		_ = m.Init()
		m = benchUpdate(m, tea.WindowSizeMsg{Width: 100, Height: 30})
		m = benchUpdate(m, states)
		benchSink = benchView(m)
	}
	check(benchSink)
}

// BenchmarkFirstFrameLoadingStates is BenchmarkFirstFrame with the
// progress query run each time (three SELECTs on a fresh database), which
// the runtime does concurrently before the map can show progress.
func BenchmarkFirstFrameLoadingStates(b *testing.B) {
	course := benchDefaultCourse(b)
	o := benchOptions(b, course)
	b.ReportAllocs()
	for b.Loop() {
		var m tea.Model = New(context.Background(), o)
		_ = m.Init()
		m = benchUpdate(m, tea.WindowSizeMsg{Width: 100, Height: 30})
		m = benchUpdate(m, loadStates(m.(Model).sh)())
		benchSink = benchView(m)
	}
}

// helloModel is the smallest Bubble Tea program, the yardstick for
// BenchmarkFirstFrame.
type helloModel struct{ width, height int }

type helloMsg struct{}

func (m helloModel) Init() tea.Cmd { return nil }

func (m helloModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		m.width, m.height = size.Width, size.Height
	}
	return m, nil
}

func (m helloModel) View() tea.View { return tea.NewView("Hello, world") }

// BenchmarkHelloWorldFirstFrame is the steps of BenchmarkFirstFrame on a
// model whose View is "Hello, world".
func BenchmarkHelloWorldFirstFrame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var m tea.Model = helloModel{}
		_ = m.Init()
		m = benchUpdate(m, tea.WindowSizeMsg{Width: 100, Height: 30})
		m = benchUpdate(m, helloMsg{})
		benchSink = m.View().Content
	}
	if benchSink != "Hello, world" {
		b.Fatalf("hello view is %q", benchSink)
	}
}

// biggestLesson is the built-in lesson with the longest body.
func biggestLesson(c *lessons.Course) *lessons.Lesson {
	var big *lessons.Lesson
	for _, l := range c.Lessons() {
		if big == nil || len(l.Body) > len(big.Body) {
			big = l
		}
	}
	return big
}

// openLesson takes a model showing the map to the lesson's first full
// frame: the open message, the render the lesson screen asks for (from the
// cache when it has it), the render arriving, the frame. The store writes
// the open also starts run beside this in the real program, so they are
// left out.
func openLesson(m tea.Model, id string) (tea.Model, string) {
	m = benchUpdate(m, openLessonMsg{id: id, scroll: 0})
	ls, ok := m.(Model).top().(lessonScreen)
	if !ok {
		return m, ""
	}
	if cmd := ls.refresh(); cmd != nil {
		m = benchUpdate(m, cmd())
	}
	return m, benchView(m)
}

// BenchmarkOpenLesson opens the biggest built-in lesson on an 80x30
// terminal: cold, with glamour rendering it (text wrapped at 78 columns);
// cached, with the render already in the cache, as on a second visit.
func BenchmarkOpenLesson(b *testing.B) {
	course := benchDefaultCourse(b)
	o := benchOptions(b, course)
	states := benchStates(b, o)
	l := biggestLesson(course)
	var onMap tea.Model = New(context.Background(), o)
	onMap = benchUpdate(onMap, tea.WindowSizeMsg{Width: 80, Height: 30})
	onMap = benchUpdate(onMap, states)
	sh := onMap.(Model).sh
	check := func(m tea.Model, frame string) {
		b.Helper()
		plain := ansi.Strip(frame)
		if _, ok := m.(Model).top().(lessonScreen); !ok || strings.Contains(plain, "Rendering") || !strings.Contains(plain, l.Title) {
			b.Fatalf("lesson %s not shown in full:\n%s", l.ID, plain)
		}
	}

	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		var m tea.Model
		var frame string
		for b.Loop() {
			sh.renders = NewRenderCache()
			m, frame = openLesson(onMap, l.ID)
		}
		check(m, frame)
	})
	b.Run("cached", func(b *testing.B) {
		sh.renders = NewRenderCache()
		m, frame := openLesson(onMap, l.ID) // fills the cache
		check(m, frame)
		b.ReportAllocs()
		for b.Loop() {
			m, frame = openLesson(onMap, l.ID)
		}
		check(m, frame)
	})
}

// longLessonSource is a lesson of n markdown lines: sections of headings,
// list items, paragraphs and code, with a question in the middle, so
// that it renders to more than n lines.
func longLessonSource(n int) string {
	// Long paragraphs under few headings: a lesson this long stays within
	// the bounds every lesson has (200 headings, 4,000 blocks; mdbounds),
	// so the whole of it is rendered and scrolled.
	var b strings.Builder
	b.WriteString("---\nid: very-long\ntitle: A very long lesson\nminutes: 600\n---\n\n# A very long lesson\n\n")
	sentence := "The server reads the request, finds the handler for its path, runs it, and writes the answer back on the same connection. "
	lines, section := 0, 0
	for lines < n {
		section++
		fmt.Fprintf(&b, "## Section %d\n\n", section)
		for i := 1; i <= 10; i++ {
			fmt.Fprintf(&b, "Point %d of section %d: %s**Why** it matters: %s\n\n", i, section, strings.Repeat(sentence, 3), sentence)
		}
		fmt.Fprintf(&b, "```go\nfunc handler%d(w http.ResponseWriter, r *http.Request) {\n\tw.WriteHeader(http.StatusNoContent)\n}\n```\n\n", section)
		lines += 2 + 10*7 + 6 // at 100 columns a paragraph wraps to about 6 lines
		if section == 50 {
			b.WriteString("```quiz\nid: middle\ntype: single\nprompt: Which side opens the connection?\nchoices:\n  - The client\n  - The server\nanswer: The client\nexplain: The client connects; the server listens.\n```\n\n")
			lines += 10
		}
	}
	return b.String()
}

// BenchmarkScrollKey is one `j` in a lesson of 10,000 lines: Update and
// the frame after it.
func BenchmarkScrollKey(b *testing.B) {
	const lines = 10000
	course, probs := lessons.Load(fstest.MapFS{
		// Lists and code lose blank lines when rendered: a tenth more source
		// makes sure the render has the 10,000 lines.
		"01-long/01-very-long.md": {Data: []byte(longLessonSource(lines + lines/10))},
	}, "bench")
	for _, p := range probs {
		if p.Severity == lessons.Error {
			b.Fatalf("long lesson: %v", p)
		}
	}
	l := course.Lesson("very-long")
	if l == nil || len(l.Questions) != 1 {
		b.Fatal("long lesson did not load with its question")
	}
	o := benchOptions(b, course)
	states := benchStates(b, o)
	var m tea.Model = New(context.Background(), o)
	m = benchUpdate(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = benchUpdate(m, states)
	m, frame := openLesson(m, l.ID)
	ls, ok := m.(Model).top().(lessonScreen)
	if !ok || strings.Contains(ansi.Strip(frame), "Rendering") {
		b.Fatalf("long lesson not shown:\n%s", ansi.Strip(frame))
	}
	if got := ls.vp.TotalLineCount(); got < lines {
		b.Fatalf("long lesson renders to %d lines, want at least %d", got, lines)
	}
	j, top := benchKey('j'), benchKey('g')
	before := frame
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		// Back to the top before the end, so every press scrolls.
		if n++; n%(lines/2) == 0 {
			b.StopTimer()
			m = benchUpdate(m, top)
			b.StartTimer()
		}
		m = benchUpdate(m, j)
		benchSink = benchView(m)
	}
	if benchSink == before {
		b.Fatal("j did not change the frame")
	}
}

// BenchmarkSearchBigLesson is one key typed into the search of a 110 KB
// lesson (the shared HTTP lesson eight times): the search re-runs on
// every key, and the frame after it is drawn.
func BenchmarkSearchBigLesson(b *testing.B) {
	src, err := os.ReadFile("../render/testdata/http-lesson.md")
	if err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat(string(src)+"\n", 8)
	course, probs := lessons.Load(fstest.MapFS{
		"01-big/01-big.md": {Data: []byte("---\nid: big\ntitle: Big\n---\n\n" + body)},
	}, "bench")
	for _, p := range probs {
		if p.Severity == lessons.Error {
			b.Fatalf("big lesson: %v", p)
		}
	}
	o := benchOptions(b, course)
	var m tea.Model = New(context.Background(), o)
	m = benchUpdate(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = benchUpdate(m, benchStates(b, o))
	m, _ = openLesson(m, "big")
	m = benchUpdate(m, benchKey('/'))
	keys := []rune("request")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// Type the word, then clear it, so every key changes the query.
		if i%len(keys) == 0 && i > 0 {
			b.StopTimer()
			for range keys {
				m = benchUpdate(m, tea.KeyPressMsg{Code: tea.KeyBackspace})
			}
			b.StartTimer()
		}
		m = benchUpdate(m, benchKey(keys[i%len(keys)]))
		benchSink = benchView(m)
		i++
	}
}
