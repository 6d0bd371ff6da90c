package tui

import (
	"context"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
)

// In every lab and every focus the footer fits 80 columns uncut, says
// what esc does there, and offers the full key list by a key that works
// there.
func TestLabFootersSayWhatEscDoes(t *testing.T) {
	course, _ := lessons.Default()
	for _, kind := range []string{"sql", "http", "build"} {
		t.Run(kind, func(t *testing.T) {
			l, lab := labOfKind(t, course, kind)
			sh := labShared(t)
			s, _, err := newLabScreen(sh, l, lab)
			if err != nil {
				t.Fatal(err)
			}
			s = s.SetSize(80, 22)
			if kind == "build" { // the address field takes the focus on tab
				s, _ = s.Update(tea.KeyPressMsg{Code: tea.KeyTab})
			}
			for _, typing := range []bool{true, false} {
				if got := s.(interface{ Typing() bool }).Typing(); got != typing {
					t.Fatalf("typing = %v, want %v", got, typing)
				}
				h := help.New()
				h.SetWidth(80)
				footer := ansi.Strip(h.View(s.Keys()))
				if strings.Contains(footer, "…") || ansi.StringWidth(footer) > 80 {
					t.Errorf("typing=%v: footer cut or too wide: %q", typing, footer)
				}
				wantEsc, wantHelp := "esc leave the lab", "? all keys"
				if typing {
					wantEsc, wantHelp = "esc leave the ", "f1 all keys"
				}
				if !strings.Contains(footer, wantEsc) || !strings.Contains(footer, wantHelp) {
					t.Errorf("typing=%v: footer %q lacks %q or %q", typing, footer, wantEsc, wantHelp)
				}
				full := ansi.Strip(h.FullHelpView(s.Keys().FullHelp()))
				flat := strings.Join(strings.Fields(full), " ")
				if !strings.Contains(flat, wantEsc) || !strings.Contains(flat, wantHelp) || strings.Contains(full, "…") {
					t.Errorf("typing=%v: full help cut or lacks esc and help:\n%s", typing, full)
				}
				// esc leaves the field first, then the lab.
				var cmd tea.Cmd
				s, cmd = s.Update(labEsc)
				if typing && cmd != nil {
					for _, m := range labMsgs(t, cmd) {
						if m == (backMsg{}) {
							t.Fatal("esc in the editor left the lab")
						}
					}
				}
			}
		})
	}
}

// f1 shows every key while a lab's editor has the focus, where '?' is
// typed into the query.
func TestF1ShowsAllKeysWhileTyping(t *testing.T) {
	course, _ := lessons.Default()
	l, lab := labOfKind(t, course, "sql")
	m := tea.Model(New(context.Background(), Options{Course: StaticCourse(course), Progress: testLearner(t, testStore(t), "tess"), Profiles: testProfiles{store: testStore(t)}, Labs: LocalLabs}))
	m = run(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = run(t, m, openLabMsg{lessonID: l.ID, labID: lab.ID})
	t.Cleanup(func() { collect(m.(Model).top().(sqlLabScreen).onQuit()) })
	m = run(t, m, tea.KeyPressMsg{Code: '?', Text: "?"})
	if m.(Model).help.ShowAll || m.(Model).top().(sqlLabScreen).editor.Value() != "?" {
		t.Fatalf("? in the editor: help %v, editor %q", m.(Model).help.ShowAll, m.(Model).top().(sqlLabScreen).editor.Value())
	}
	m = run(t, m, tea.KeyPressMsg{Code: tea.KeyF1})
	if !m.(Model).help.ShowAll {
		t.Fatal("f1 did not show every key")
	}
	if v := view(m); !strings.Contains(v, "fresh database") {
		t.Fatalf("full key list not on screen:\n%s", v)
	}
}
