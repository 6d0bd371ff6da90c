package tui

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"serverside/labs/testdata/refserver"
	"serverside/lessons"
)

// The build lab remembers, per learner, the address checked and how the
// last check went, and shows both on the next visit.
func TestBuildLabRemembersTheLastCheck(t *testing.T) {
	srv := httptest.NewServer(refserver.RESTResource("ignores-inm"))
	defer srv.Close()
	lab := &lessons.Lab{ID: "b", Kind: "build", Line: 1, Raw: "id: b\nkind: build\nlab: rest-resource\n"}
	sh := labShared(t)
	s, cmd, err := newLabScreen(sh, labLesson, lab)
	if err != nil {
		t.Fatal(err)
	}
	s = s.SetSize(100, 40)
	s, _ = feed(t, s, started(t, cmd), nil)
	b := s.(buildLabScreen)
	if b.addr.Value() != "127.0.0.1:8080" || b.last != nil {
		t.Fatalf("first visit: %q %v", b.addr.Value(), b.last)
	}
	addr := strings.TrimPrefix(srv.URL, "http://")
	b.addr.SetValue(addr)
	s, _ = feed(t, b, labEnter, func(s screen) bool { return s.(buildLabScreen).report != nil })
	// The screen saves the check in a command it returned with the report
	// (feed stopped before running it): save it the same way.
	rep := *s.(buildLabScreen).report
	labMsgs(t, saveBuildCheck(sh, labKey{labLesson.ID, "b"}, rep))

	again, cmd, _ := newLabScreen(sh, labLesson, lab)
	again = again.SetSize(100, 40)
	for _, m := range labMsgs(t, cmd) {
		again, _ = feed(t, again, m, nil)
	}
	a := again.(buildLabScreen)
	if a.addr.Value() != addr || a.last == nil || a.showSpec {
		t.Fatalf("second visit: addr %q, last %v, spec shown %v", a.addr.Value(), a.last, a.showSpec)
	}
	view := ansi.Strip(a.View())
	for _, want := range []string{"Last checked just now at " + addr, "✓ 8. DELETE removes a book", "✗ 9. If-None-Match", "Stage 9 failed", "status 304 Not Modified"} {
		if !strings.Contains(view, want) {
			t.Fatalf("second visit lacks %q:\n%s", want, view)
		}
	}
	// Another learner starts afresh.
	other := labShared(t)
	other.store = sh.store
	other.user = "someone-else"
	fresh, cmd, _ := newLabScreen(other, labLesson, lab)
	for _, m := range labMsgs(t, cmd) {
		fresh, _ = feed(t, fresh.SetSize(100, 40), m, nil)
	}
	if f := fresh.(buildLabScreen); f.last != nil || f.addr.Value() != "127.0.0.1:8080" {
		t.Fatalf("another learner sees tess's check: %q", f.addr.Value())
	}
}
