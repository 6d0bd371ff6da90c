package tui

import (
	"bufio"
	"fmt"
	"net"
	"serverside/internal/hostile"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"serverside/labs"
	"serverside/lessons"
	"serverside/termsafe"
)

// assertSafe fails when a view lets anything but SGR and OSC 8 through.
func assertSafe(t *testing.T, what, view string) {
	t.Helper()
	if bad := termsafe.Reaches(view); bad != "" {
		t.Errorf("%s lets %s reach the terminal", what, bad)
	}
}

// The SQL lab shows hostile values, task text and errors sanitised, and
// lays a result's table out once, not on every frame.
func TestSQLLabScreenSanitisesAndLaysOutOnce(t *testing.T) {
	lab := &lessons.Lab{ID: "q", Kind: "sql", Line: 1, Raw: "id: q\nkind: sql\ntitle: \"T\\e]0;pwned\\a\"\ntasks:\n  - id: a\n    prompt: \"P\\e]52;c;eA==\\a\\eP+q\\e\\\\\\u202e\"\n    hints: [\"H\\e_apc\\e\\\\\\x9b2J\"]\n    reference: SELECT 1\n"}
	s, cmd, err := newLabScreen(labShared(t), labLesson, lab)
	if err != nil {
		t.Fatal(err)
	}
	s = s.SetSize(100, 40)
	s, _ = feed(t, s, started(t, cmd), func(s screen) bool { return s.(sqlLabScreen).lab != nil })
	q := s.(sqlLabScreen)
	t.Cleanup(func() { q.lab.Close() })

	var rows [][]string
	for i := range 300 {
		rows = append(rows, []string{fmt.Sprint(i), termsafe.Hostile() + strings.Repeat("v", 100_000)})
	}
	s, _ = q.Update(sqlLabResultMsg{lab: q.lab, session: "A", res: labs.Result{Columns: []string{"id", "v\x1b[2J"}, Rows: rows}})
	q = s.(sqlLabScreen)
	if len(q.table) != len(rows)+2 {
		t.Fatalf("the table has %d lines for %d rows", len(q.table), len(rows))
	}
	first := &q.table[0]
	for range 3 {
		q.View()
	}
	if &s.(sqlLabScreen).table[0] != first {
		t.Error("View laid the table out again")
	}
	assertSafe(t, "the result", q.View())

	// A wrong check shows the prompt, the verdict and a hint.
	q.editor.SetValue("SELECT char(27)||']0;x'||char(7)")
	s, _ = feed(t, q, ctrl('g'), nil)
	view := s.View()
	if !strings.Contains(view, "Hint: H") {
		t.Fatalf("no hint:\n%s", view)
	}
	assertSafe(t, "the verdict", view)
	q = s.(sqlLabScreen)
	q.editor.SetValue("SELECT * FROM \"\x1b]0;x\x07\u202e\"")
	s, _ = feed(t, q, ctrl('s'), nil)
	if q = s.(sqlLabScreen); q.resErr == "" {
		t.Fatal("no error shown")
	}
	// (The editor shows what the learner typed; the root view's net
	// sanitises it.)
	assertSafe(t, "an SQL error", q.resultView(80, 10))
}

// The HTTP lab's exchange log shows what any local process (or a web
// page: a text/plain POST needs no preflight) sent, sanitised.
func TestHTTPLabLogIsSanitised(t *testing.T) {
	lab := &lessons.Lab{ID: "h", Kind: "http", Line: 1, Raw: "id: h\nkind: http\nscenario: bookshop\n"}
	s, cmd, err := newLabScreen(labShared(t), labLesson, lab)
	if err != nil {
		t.Fatal(err)
	}
	s = s.SetSize(100, 40)
	s, _ = feed(t, s, started(t, cmd), func(s screen) bool { return s.(httpLabScreen).lab != nil })
	h := s.(httpLabScreen)
	t.Cleanup(func() { h.lab.Close() })
	waiter := waitHTTPLab(h.lab)
	// Raw, as a hostile process sends it: net/http would refuse the
	// escapes in the target.
	addr := strings.TrimPrefix(h.lab.BaseURL(), "http://")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	body := termsafe.Hostile()
	fmt.Fprintf(c, "POST /books?\x1b]0;t\x07 HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", addr, len(body), body)
	bufio.NewReader(c).ReadString('\n')
	c.Close()
	s, _ = feed(t, s, labMsgs(t, waiter)[0], func(s screen) bool { return len(s.(httpLabScreen).log) == 1 })
	h = s.(httpLabScreen)
	if len(h.log) != 1 || !strings.Contains(string(h.log[0].RawRequest), "\x1bP+q") {
		t.Fatalf("the exchange was not logged as sent: %d", len(h.log))
	}
	s, _ = feed(t, h, tea.KeyPressMsg{Code: tea.KeyTab}, nil)
	view := s.View()
	if !strings.Contains(view, "POST /books") {
		t.Fatalf("the log does not show the POST:\n%s", view)
	}
	assertSafe(t, "the exchange log", view)
}

// The build lab shows a hostile service's answer sanitised.
func TestBuildLabShowsHostileServiceSanitised(t *testing.T) {
	addr := hostile.RawService(t, hostile.EscapingReply)
	lab := &lessons.Lab{ID: "b", Kind: "build", Line: 1, Raw: "id: b\nkind: build\nlab: rest-resource\n"}
	s, cmd, err := newLabScreen(labShared(t), labLesson, lab)
	if err != nil {
		t.Fatal(err)
	}
	s = s.SetSize(100, 40)
	s, _ = feed(t, s, started(t, cmd), nil)
	s, _ = feed(t, s, tea.KeyPressMsg{Code: tea.KeyTab}, nil)
	b := s.(buildLabScreen)
	b.addr.SetValue(addr)
	s, _ = feed(t, b, labEnter, func(s screen) bool { return s.(buildLabScreen).report != nil })
	view := s.View()
	if !strings.Contains(view, "X-Evil:") {
		t.Fatalf("the failure does not show the response:\n%s", view)
	}
	assertSafe(t, "the build lab", view)
}
