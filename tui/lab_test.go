package tui

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"serverside/labs/testdata/refserver"
	"serverside/lessons"
	"serverside/progress"
	"serverside/render"
)

func labShared(t *testing.T) *shared {
	t.Helper()
	return &shared{theme: render.Dark, styles: NewStyles(render.Dark), renders: NewRenderCache(), progress: testLearner(t, testStore(t), "tess"), user: "tess",
		store: storeCall{ctx: context.Background(), timeout: time.Minute}, labPol: LocalLabs, loc: time.Local}
}

// started returns the lab's own first message from an init command, past
// the saved lab progress that comes with it.
func started(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	for _, m := range labMsgs(t, cmd) {
		if _, saved := m.(labTasksMsg); !saved {
			return m
		}
	}
	t.Fatal("the lab's init command brought nothing")
	return nil
}

var labLesson = &lessons.Lesson{ID: "lab-lesson", Path: "m/lab.md"}

// labMsgs runs a command and returns the messages it yields, unpacking
// batches and sequences; a command still waiting after a while is dropped
// (it waits for something the test does not do).
func labMsgs(t *testing.T, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(labWait):
		return nil
	}
	if msg == nil {
		return nil
	}
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, labMsgs(t, c)...)
		}
		return out
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, labMsgs(t, v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// feed gives msg to the screen and then every message its commands yield,
// until until returns true; it returns the screen and the messages meant
// for the root.
func feed(t *testing.T, s screen, msg tea.Msg, until func(screen) bool) (screen, []tea.Msg) {
	t.Helper()
	queue := []tea.Msg{msg}
	var root []tea.Msg
	for steps := 0; len(queue) > 0 && steps < 100; steps++ {
		msg, queue = queue[0], queue[1:]
		switch msg.(type) {
		case backMsg, statusMsg, errMsg:
			root = append(root, msg)
			continue
		}
		var cmd tea.Cmd
		s, cmd = s.Update(msg)
		if until != nil && until(s) {
			return s, root
		}
		queue = append(queue, labMsgs(t, cmd)...)
	}
	return s, root
}

// labWait bounds a command in these tests: generous, because the first
// SQL lab of a run seeds its database, slowly under -race.
const labWait = 20 * time.Second

func ctrl(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl} }

var (
	labEsc   = tea.KeyPressMsg{Code: tea.KeyEscape}
	labEnter = tea.KeyPressMsg{Code: tea.KeyEnter}
)

func assertFits(t *testing.T, view string, w int) {
	t.Helper()
	for _, line := range strings.Split(view, "\n") {
		if ansi.StringWidth(line) > w {
			t.Fatalf("line wider than %d: %q", w, ansi.Strip(line))
		}
	}
}

func TestNewLabScreenRejectsBadBlocks(t *testing.T) {
	for _, lab := range []*lessons.Lab{
		{ID: "a", Kind: "http", Line: 3, Raw: "id: a\nkind: http\nscenario: nowhere\n"},
		{ID: "b", Kind: "sql", Line: 3, Raw: "id: b\nkind: sql\n"},
		{ID: "c", Kind: "build", Line: 3, Raw: "id: c\nkind: build\nlab: nope\n"},
		{ID: "d", Kind: "video", Line: 3, Raw: "id: d\nkind: video\n"},
	} {
		if _, _, err := newLabScreen(labShared(t), labLesson, lab); err == nil || !strings.Contains(err.Error(), "m/lab.md") {
			t.Errorf("%s: err = %v", lab.Kind, err)
		}
	}
}

func TestHTTPLabScreen(t *testing.T) {
	lab := &lessons.Lab{ID: "cache", Kind: "http", Line: 1, Raw: "id: cache\nkind: http\ntitle: Caching\nscenario: bookshop\ntasks: [get-304]\n"}
	s, cmd, err := newLabScreen(labShared(t), labLesson, lab)
	if err != nil {
		t.Fatal(err)
	}
	s = s.SetSize(100, 40)
	if !strings.Contains(ansi.Strip(s.View()), "Starting the server") {
		t.Fatalf("before start:\n%s", ansi.Strip(s.View()))
	}
	s, _ = feed(t, s, started(t, cmd), func(s screen) bool { return s.(httpLabScreen).lab != nil })
	h := s.(httpLabScreen)
	t.Cleanup(func() { h.lab.Close() })
	if !h.Typing() || !strings.Contains(ansi.Strip(h.View()), h.lab.BaseURL()) {
		t.Fatalf("started:\n%s", ansi.Strip(h.View()))
	}
	waiter := waitHTTPLab(h.lab)

	// Send the starter request; the log shows it once the server logged it.
	s, _ = feed(t, s, ctrl('s'), nil)
	s, _ = feed(t, s, labMsgs(t, waiter)[0], func(s screen) bool { return len(s.(httpLabScreen).log) == 1 })
	h = s.(httpLabScreen)
	view := ansi.Strip(h.View())
	if !strings.Contains(view, "#1 GET /books/1 → 200") || !strings.Contains(view, "HTTP/1.1 200 OK") {
		t.Fatalf("after sending:\n%s", view)
	}
	etag := h.log[0].ResponseHeader.Get("ETag")

	// A conditional request completes the task.
	h.editor.SetValue("GET /books/1\nIf-None-Match: " + etag + "\n")
	if !strings.Contains(ansi.Strip(h.View()), "-H 'If-None-Match: \"b1-v1\"'") {
		t.Fatalf("curl line missing:\n%s", ansi.Strip(h.View()))
	}
	s, _ = feed(t, h, ctrl('s'), nil)
	s, _ = feed(t, s, labMsgs(t, waitHTTPLab(h.lab))[0], func(s screen) bool { return s.(httpLabScreen).tasks[0].Done })
	h = s.(httpLabScreen)
	if len(h.log) != 2 || !h.tasks[0].Done {
		t.Fatalf("log %d, tasks %+v", len(h.log), h.tasks)
	}
	if !strings.Contains(ansi.Strip(h.View()), "Every task is done") {
		t.Fatalf("done:\n%s", ansi.Strip(h.View()))
	}
	// The task is kept in progress, so it stays done on the next visit:
	// the screen asked for it to be saved, and saving stores it.
	if !h.saved["get-304"] {
		t.Fatal("the screen did not save the task it saw done")
	}
	labMsgs(t, saveLabTasks(h.sh, h.key, "get-304"))
	if got, err := h.sh.progress.LabTasks(context.Background(), labLesson.ID, "cache"); err != nil || got["get-304"].IsZero() {
		t.Fatalf("task completion not stored: %v %v", got, err)
	}
	again, _, _ := newLabScreen(h.sh, labLesson, lab)
	again, _ = feed(t, again.SetSize(100, 40), labMsgs(t, loadLabTasks(h.sh, labKey{labLesson.ID, "cache"}))[0], nil)
	if !again.(httpLabScreen).saved["get-304"] {
		t.Error("a new visit does not know the task was done")
	}

	// A request that does not parse is reported, not sent.
	h.editor.SetValue("GET books\n")
	_, root := feed(t, h, ctrl('s'), nil)
	if len(root) != 1 || !strings.Contains(root[0].(errMsg).err.Error(), "must start with /") {
		t.Fatalf("bad request: %v", root)
	}

	// The routes, and back to the log.
	s, _ = feed(t, h, ctrl('g'), nil)
	if view := ansi.Strip(s.View()); !strings.Contains(view, "GET /limited") || strings.Contains(view, "Exchanges") {
		t.Fatalf("routes:\n%s", view)
	}
	s, _ = feed(t, s, ctrl('g'), nil)
	h = s.(httpLabScreen)

	// Log browsing, then leaving closes the server.
	s, _ = feed(t, h, tea.KeyPressMsg{Code: tea.KeyTab}, nil)
	s, _ = feed(t, s, tea.KeyPressMsg{Code: 'j', Text: "j"}, nil)
	if h := s.(httpLabScreen); h.Typing() || h.sel != 1 {
		t.Fatalf("browsing: typing %v sel %d", h.Typing(), h.sel)
	}
	for _, size := range [][2]int{{40, 12}, {80, 24}, {120, 40}} {
		assertFits(t, s.SetSize(size[0], size[1]).View(), size[0])
	}
	_, root = feed(t, s, labEsc, nil)
	if len(root) != 1 || root[0] != (backMsg{}) {
		t.Fatalf("esc: %v", root)
	}
	select {
	case <-h.lab.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the lab server is still running after leaving the screen")
	}
}

func TestSQLLabScreen(t *testing.T) {
	lab := &lessons.Lab{ID: "q", Kind: "sql", Line: 1, Raw: `id: q
kind: sql
tasks:
  - id: count-customers
    prompt: How many customers are there?
    reference: SELECT count(*) FROM customers
    hints: [Use count(*)., The table is customers.]
`}
	s, cmd, err := newLabScreen(labShared(t), labLesson, lab)
	if err != nil {
		t.Fatal(err)
	}
	s = s.SetSize(100, 40)
	s, _ = feed(t, s, started(t, cmd), func(s screen) bool { return s.(sqlLabScreen).lab != nil })
	q := s.(sqlLabScreen)
	t.Cleanup(func() { q.lab.Close() })

	q.editor.SetValue("SELECT id, name FROM customers ORDER BY id LIMIT 3")
	s, _ = feed(t, q, ctrl('s'), nil)
	view := ansi.Strip(s.View())
	if !strings.Contains(view, "1  │ Ada Lovelace") || !strings.Contains(view, "3 row(s)") {
		t.Fatalf("result:\n%s", view)
	}

	q = s.(sqlLabScreen)
	q.editor.SetValue("SELECT count(*) FROM orders")
	s, _ = feed(t, q, ctrl('g'), nil)
	if view := ansi.Strip(s.View()); !strings.Contains(view, "Hint: Use count(*).") || strings.Contains(view, "customers.") || !strings.Contains(view, "Not yet") {
		t.Fatalf("wrong answer:\n%s", view)
	}
	s, _ = feed(t, s, ctrl('g'), nil)
	if view := ansi.Strip(s.View()); !strings.Contains(view, "Hint: The table is customers.") {
		t.Fatalf("second wrong answer:\n%s", view)
	}
	q = s.(sqlLabScreen)
	q.editor.SetValue("SELECT count(*) FROM customers")
	s, _ = feed(t, q, ctrl('g'), nil)
	if view := ansi.Strip(s.View()); !strings.Contains(view, "✓ Task 1") || !strings.Contains(view, "Right") {
		t.Fatalf("right answer:\n%s", view)
	}

	// A second session, in a transaction of its own.
	s, _ = feed(t, s, ctrl('o'), nil)
	q = s.(sqlLabScreen)
	if len(q.sessions) != 2 || q.sessionName() != "B" || q.editor.Value() != "" {
		t.Fatalf("session B: %d sessions, current %s, draft %q", len(q.sessions), q.sessionName(), q.editor.Value())
	}
	q.editor.SetValue("BEGIN; UPDATE accounts SET balance_cents = 0 WHERE id = 1")
	s, _ = feed(t, q, ctrl('s'), nil)
	if view := ansi.Strip(s.View()); !strings.Contains(view, "Session B · in a transaction") || !strings.Contains(view, "1 row(s) changed") {
		t.Fatalf("transaction:\n%s", view)
	}
	s, _ = feed(t, s, ctrl('o'), nil)
	if q := s.(sqlLabScreen); q.sessionName() != "A" || q.editor.Value() != "SELECT count(*) FROM customers" {
		t.Fatalf("back to A: %s %q", q.sessionName(), q.editor.Value())
	}

	for _, size := range [][2]int{{40, 12}, {80, 24}, {120, 40}} {
		assertFits(t, s.SetSize(size[0], size[1]).View(), size[0])
	}

	// Start over on a fresh database, with one session again.
	first := s.(sqlLabScreen).lab
	s, root := feed(t, s, ctrl('r'), nil)
	q = s.(sqlLabScreen)
	if q.lab == nil || q.lab == first || len(q.sessions) != 1 || len(root) != 1 {
		t.Fatalf("reset: lab %p (was %p), %d sessions, root %v", q.lab, first, len(q.sessions), root)
	}
	t.Cleanup(func() { q.lab.Close() })
	if _, err := first.Query(t.Context(), "SELECT 1"); err == nil {
		t.Fatal("the old lab database is still open after a reset")
	}
	q.editor.SetValue("SELECT balance_cents FROM accounts WHERE id = 1")
	s, _ = feed(t, q, ctrl('s'), nil)
	if view := ansi.Strip(s.View()); !strings.Contains(view, "10000") {
		t.Fatalf("after reset:\n%s", view)
	}

	s, _ = feed(t, s, labEsc, nil)
	_, root = feed(t, s, labEsc, nil)
	if len(root) != 1 || root[0] != (backMsg{}) {
		t.Fatalf("esc: %v", root)
	}
	if _, err := q.lab.Query(t.Context(), "SELECT 1"); err == nil {
		t.Fatal("the lab database is still open after leaving the screen")
	}
}

func TestBuildLabScreen(t *testing.T) {
	srv := httptest.NewServer(refserver.RESTResource("ignores-inm"))
	defer srv.Close()
	lab := &lessons.Lab{ID: "b", Kind: "build", Line: 1, Raw: "id: b\nkind: build\nlab: rest-resource\n"}
	s, cmd, err := newLabScreen(labShared(t), labLesson, lab)
	if err != nil {
		t.Fatal(err)
	}
	s = s.SetSize(100, 40)
	// The specification renders in a command, once the screen has a size.
	s, _ = feed(t, s, started(t, cmd), nil)
	if !strings.Contains(ansi.Strip(s.View()), "REST resource") {
		t.Fatalf("spec:\n%s", ansi.Strip(s.View()))
	}

	s, _ = feed(t, s, tea.KeyPressMsg{Code: tea.KeyTab}, nil)
	if !s.(buildLabScreen).Typing() {
		t.Fatal("tab did not focus the address")
	}
	b := s.(buildLabScreen)
	b.addr.SetValue(srv.URL)
	s, root := feed(t, b, labEnter, func(s screen) bool { return s.(buildLabScreen).report != nil })
	view := ansi.Strip(s.View())
	for _, want := range []string{"✓ 8. DELETE removes a book", "✗ 9. If-None-Match", "Expected:", "status 304 Not Modified", "· 10. 50 concurrent"} {
		if !strings.Contains(view, want) {
			t.Fatalf("results lack %q:\n%s", want, view)
		}
	}
	if len(root) != 0 {
		t.Fatalf("root got %v", root)
	}
	s, _ = feed(t, s, tea.KeyPressMsg{Code: 's', Text: "s"}, nil)
	if !s.(buildLabScreen).showSpec {
		t.Fatal("s did not switch to the specification")
	}
	for _, size := range [][2]int{{40, 12}, {80, 24}, {120, 40}} {
		assertFits(t, s.SetSize(size[0], size[1]).View(), size[0])
	}

	// A non-loopback address is refused before anything runs.
	b = s.(buildLabScreen)
	b.addr.SetValue("example.com:80")
	_, root = feed(t, b, labEnter, nil)
	if len(root) != 1 || !strings.Contains(root[0].(errMsg).err.Error(), "loopback") {
		t.Fatalf("remote address: %v", root)
	}
}

// The whole program: the root opens a lab from a lesson, and quitting
// closes it.
func TestProgramOpensAndClosesALab(t *testing.T) {
	dir := t.TempDir()
	lesson := "---\nid: poke\ntitle: Poke a server\n---\n\n# Poke a server\n\nTry it.\n\n" +
		"```lab\nid: shop\nkind: http\ntitle: Bookshop\nscenario: bookshop\ntasks: [get-304]\n```\n"
	if err := os.MkdirAll(filepath.Join(dir, "m"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "m", "01-poke.md"), []byte(lesson), 0o644); err != nil {
		t.Fatal(err)
	}
	course, probs, err := lessons.LoadDir(dir)
	if err != nil || len(probs) > 0 {
		t.Fatalf("course: %v %v", err, probs)
	}
	store, err := progress.Open(t.Context(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	tm := teatest.NewTestModel(t, New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(course), Progress: testLearner(t, store, "tess"), Profiles: testProfiles{store: store}, Labs: LocalLabs, Theme: render.Dark}), teatest.WithInitialTermSize(100, 30))
	tm.Send(openLabMsg{lessonID: "poke", labID: "shop"})
	// The screen shows the server's address; the renderer draws only what
	// changed, so look for any address in the output that answers.
	var addr string
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, m := range regexp.MustCompile(`127\.0\.0\.1:[0-9]+`).FindAll(b, -1) {
			resp, err := http.Get("http://" + string(m) + "/books/1")
			if err == nil {
				resp.Body.Close()
				addr = string(m)
				return resp.StatusCode == http.StatusOK
			}
		}
		return false
	}, teatest.WithDuration(10*time.Second))
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatalf("the lab server still listens on %s after quitting", addr)
	}
}

// Each scenario's lab opens with a request that works on that scenario, not
// the bookshop's.
func TestHTTPLabStarterFitsTheScenario(t *testing.T) {
	for scenario, want := range map[string]string{"bookshop": "GET /books/1", "latency": "GET /work", "lifecycle": "GET /readyz"} {
		lab := &lessons.Lab{ID: "x", Kind: "http", Line: 1, Raw: "id: x\nkind: http\nscenario: " + scenario + "\n"}
		s, _, err := newLabScreen(labShared(t), labLesson, lab)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.(httpLabScreen).editor.Value(); !strings.HasPrefix(got, want+"\n") {
			t.Errorf("%s lab starts with %q, want %q", scenario, got, want)
		}
	}
}
