package tui

import (
	"net"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
)

var shopHTTPLab = &lessons.Lab{ID: "shop", Kind: "http", Line: 1, Raw: "id: shop\nkind: http\ntitle: Bookshop\nscenario: bookshop\n"}

func startHTTPLab(t *testing.T, sh *shared, w, h int) httpLabScreen {
	t.Helper()
	s, cmd, err := newLabScreen(sh, labLesson, shopHTTPLab)
	if err != nil {
		t.Fatal(err)
	}
	s = s.SetSize(w, h)
	var root []tea.Msg
	for _, m := range labMsgs(t, cmd) {
		var more []tea.Msg
		s, more = feed(t, s, m, func(s screen) bool { return s.(httpLabScreen).lab != nil })
		root = append(root, more...)
	}
	hl := s.(httpLabScreen)
	if hl.lab == nil {
		t.Fatalf("the lab did not start: %v", hl.err)
	}
	t.Cleanup(func() { hl.lab.Close() })
	return hl
}

// sendHTTP types a request into the editor, sends it and waits until
// the lab has logged n exchanges; it returns the screen and what it told
// the root. (Waiting commands are not run: the test hands the screen the
// lab's log itself.)
func sendHTTP(t *testing.T, s httpLabScreen, text string, n int) (httpLabScreen, []tea.Msg) {
	t.Helper()
	s.editor.SetValue(text)
	var root []tea.Msg
	keep := func(msgs []tea.Msg) []tea.Msg {
		var rest []tea.Msg
		for _, m := range msgs {
			switch m.(type) {
			case errMsg, statusMsg:
				root = append(root, m)
			default:
				rest = append(rest, m)
			}
		}
		return rest
	}
	sc, cmd := s.Update(ctrl('s'))
	for _, m := range keep(labMsgs(t, cmd)) {
		var c tea.Cmd
		sc, c = sc.Update(m)
		if _, sent := m.(httpLabSentMsg); sent {
			keep(labMsgs(t, c))
		}
	}
	lab := s.lab
	deadline := time.Now().Add(10 * time.Second)
	for len(lab.Log()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("the lab logged %d exchanges, want %d", len(lab.Log()), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	sc, _ = sc.Update(httpLabChangedMsg{lab: lab, log: lab.Log(), tasks: lab.Tasks()})
	return sc.(httpLabScreen), root
}

// linesFrom counts the view's lines from the first one containing mark.
func linesFrom(view, mark string) int {
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		if strings.Contains(l, mark) {
			return len(lines) - i
		}
	}
	return 0
}

// At 80x24 the exchange gets most of the body, more still once the log
// has the focus.
func TestHTTPLabExchangeGetsTheScreen(t *testing.T) {
	h := startHTTPLab(t, labShared(t), 80, 22)
	h, _ = sendHTTP(t, h, "GET /books\n", 1)
	view := ansi.Strip(h.View())
	if n := linesFrom(view, "Exchanges"); n < 10 {
		t.Fatalf("editing: the exchange has %d of 22 lines:\n%s", n, view)
	}
	s, _ := feed(t, h, tea.KeyPressMsg{Code: tea.KeyTab}, nil)
	view = ansi.Strip(s.View())
	if n := linesFrom(view, "Exchanges"); n < 14 {
		t.Fatalf("browsing: the exchange has %d of 22 lines:\n%s", n, view)
	}
	if !strings.Contains(view, "Tasks 0/12 · next:") || !strings.Contains(view, "HTTP/1.1 200 OK") {
		t.Fatalf("browsing:\n%s", view)
	}
	for _, size := range [][2]int{{40, 10}, {80, 22}, {120, 38}} {
		v := s.SetSize(size[0], size[1]).View()
		assertFits(t, v, size[0])
		if n := strings.Count(v, "\n") + 1; n > size[1] {
			t.Fatalf("%dx%d: %d lines:\n%s", size[0], size[1], n, ansi.Strip(v))
		}
	}
}

// A request the client timed out on shows as no response, not a 200.
func TestHTTPLabClientGaveUp(t *testing.T) {
	h := startHTTPLab(t, labShared(t), 100, 38)
	s, _ := feed(t, h, ctrl('t'), nil) // a 1 s client timeout
	h, root := sendHTTP(t, s.(httpLabScreen), "GET /slow?ms=5000\n", 1)
	if len(root) != 1 || !strings.Contains(root[0].(errMsg).err.Error(), "gave up") {
		t.Fatalf("root: %v", root)
	}
	view := ansi.Strip(h.View())
	if !strings.Contains(view, "GET /slow?ms=5000 → no response: the client gave up after ") || strings.Contains(view, "200 OK") {
		t.Fatalf("gave up:\n%s", view)
	}
	if !strings.Contains(view, "(no response: the client gave up after ") {
		t.Fatalf("the response part does not say there was none:\n%s", view)
	}
}

// Cookies the server sets come back on the composer's next requests, are
// shown, and clear with ctrl+x.
func TestHTTPLabCookieJar(t *testing.T) {
	h := startHTTPLab(t, labShared(t), 100, 38)
	h, _ = sendHTTP(t, h, "POST /login\nContent-Type: application/json\n\n{\"username\": \"ada\", \"password\": \"lovelace\"}\n", 1)
	if view := ansi.Strip(h.View()); !strings.Contains(view, "Cookies sent back: session=") {
		t.Fatalf("the jar is not shown:\n%s", view)
	}
	h, _ = sendHTTP(t, h, "GET /me\n", 2)
	me := h.log[1]
	if me.Status != 200 || !strings.Contains(string(me.RawRequest), "Cookie: session=") {
		t.Fatalf("GET /me: %d\n%s", me.Status, me.RawRequest)
	}
	if !strings.Contains(ansi.Strip(h.View()), "-H 'Cookie: session=") {
		t.Fatal("the curl line lacks the cookie")
	}
	// The task ticked, and the next one not done is the one offered.
	if v := ansi.Strip(h.SetSize(100, 22).View()); !strings.Contains(v, "Tasks 1/12 · next: ") || strings.Contains(v, "next: Log in with a cookie") {
		t.Fatalf("after the login task:\n%s", v)
	}
	// Back in the lab later, the learner is still logged in.
	if again := startHTTPLab(t, h.sh, 100, 38); again.jar.Header() != h.jar.Header() {
		t.Fatalf("the jar is gone on the next visit: %q", again.jar.Header())
	}
	s, root := feed(t, h, ctrl('x'), nil)
	h = s.(httpLabScreen)
	if h.jar.Len() != 0 || len(root) != 1 || strings.Contains(ansi.Strip(h.View()), "Cookies sent back") {
		t.Fatalf("ctrl+x: jar %q, root %v", h.jar.Header(), root)
	}
	h, _ = sendHTTP(t, h, "GET /me\n", 3)
	if h.log[2].Status != 401 {
		t.Fatalf("without the cookie: %d", h.log[2].Status)
	}
}

// Reopening the lab keeps its address while the port is free; when it is
// not, the screen says the address changed.
func TestHTTPLabKeepsItsAddress(t *testing.T) {
	sh := labShared(t)
	first := startHTTPLab(t, sh, 100, 38)
	addr := strings.TrimPrefix(first.lab.BaseURL(), "http://")
	first.lab.Close()
	again := startHTTPLab(t, sh, 100, 38)
	if got := strings.TrimPrefix(again.lab.BaseURL(), "http://"); got != addr {
		t.Fatalf("reopened at %s, was %s", got, addr)
	}
	again.lab.Close()
	squat, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer squat.Close()
	s, cmd, _ := newLabScreen(sh, labLesson, shopHTTPLab)
	s = s.SetSize(100, 38)
	var root []tea.Msg
	for _, m := range labMsgs(t, cmd) {
		var c tea.Cmd
		s, c = s.Update(m)
		if st, ok := m.(httpLabStartedMsg); ok {
			// Closed first, so the wait for exchanges ends at once.
			st.lab.Close()
			root = append(root, labMsgs(t, c)...)
		}
	}
	moved := s.(httpLabScreen)
	if len(root) != 1 || !strings.Contains(root[0].(statusMsg).text, "address changed: "+addr+" was taken, so it is now "+strings.TrimPrefix(moved.lab.BaseURL(), "http://")) {
		t.Fatalf("moved: %v", root)
	}
}

// The routes are rendered markdown: a table, not its pipes and dashes.
func TestHTTPLabRoutesAreRendered(t *testing.T) {
	h := startHTTPLab(t, labShared(t), 100, 38)
	s, _ := feed(t, h, ctrl('g'), func(s screen) bool { return s.(httpLabScreen).guideOut != "" })
	view := ansi.Strip(s.View())
	if strings.Contains(view, "| --- |") || strings.Contains(view, "| Route |") || !strings.Contains(view, "GET /books/{id}") {
		t.Fatalf("routes:\n%s", view)
	}
	assertFits(t, s.View(), 100)
}
