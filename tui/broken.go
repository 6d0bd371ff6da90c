package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"serverside/lessons"
	"serverside/render"
)

// openBrokenMsg asks the root to show why a lesson file could not be read.
type openBrokenMsg struct{ broken *lessons.BrokenLesson }

type brokenKeys struct {
	Back, Help key.Binding
	Scroll     scrollKeys
}

func (k brokenKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Scroll.Down, k.Scroll.Up, k.Back, k.Help}
}

func (k brokenKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Scroll.Up, k.Scroll.Down, k.Scroll.PageUp, k.Scroll.PageDown}, {k.Back, k.Help, quitKey()}}
}

// brokenScreen lists every problem of a lesson file that could not be
// read, in full, as `serverside lint` prints them.
type brokenScreen struct {
	sh            *shared
	broken        *lessons.BrokenLesson
	keys          brokenKeys
	width, height int
	sc            scroller
}

func newBrokenScreen(sh *shared, b *lessons.BrokenLesson) brokenScreen {
	return brokenScreen{sh: sh, broken: b, keys: brokenKeys{
		Back: key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "back to the map")),
		Help: helpKey(), Scroll: newScrollKeys()}}
}

func (s brokenScreen) Title() string           { return "Broken lesson" }
func (s brokenScreen) Keys() helpKeyMap        { return s.keys }
func (s brokenScreen) SetSize(w, h int) screen { s.width, s.height = w, h; return s }
func (s brokenScreen) viewHeight() int         { return max(1, s.height-1) }

func (s brokenScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, s.keys.Back) {
			return s, s.sh.ask(backMsg{})
		}
		s.sc, _ = s.sc.update(msg, s.keys.Scroll, lineCount(s.content()), s.viewHeight())
	case tea.MouseWheelMsg:
		s.sc, _ = s.sc.update(msg, s.keys.Scroll, lineCount(s.content()), s.viewHeight())
	}
	return s, nil
}

// content is every problem of the file: where, what, and what to do.
func (s brokenScreen) content() string {
	st := s.sh.styles
	w := max(20, min(s.width-4, maxTextWidth))
	safe := func(t string) string { return render.TerminalSafe(t, false) }
	var b strings.Builder
	b.WriteString(wrapIndent(st.Broken.Render("⚠ "+safe(s.broken.Path)+" could not be read"), w, "  ") + "\n\n")
	probs := s.broken.Problems
	if len(probs) == 0 && s.broken.Err != nil {
		b.WriteString(wrapIndent(safe(s.broken.Err.Error()), w, "") + "\n\n")
	}
	for _, p := range probs {
		where := st.Subtle.Render(safe(p.Path) + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col))
		sev := st.Bad.Render(string(p.Severity))
		if p.Severity == lessons.Warning {
			sev = st.Partial.Render(string(p.Severity))
		}
		b.WriteString(wrapIndent(where+" "+sev, w, "  ") + "\n")
		b.WriteString("  " + wrapIndent(safe(p.Message), w-2, "  ") + "\n\n")
	}
	fix := "Fix the file and start serverside again, or run it with --lessons DIR: the course reloads as you save. `serverside lint` prints these problems too."
	if s.sh.course.Root != "" {
		fix = "Fix the file and save it: with --lessons the course reloads as you save. `serverside lint` prints these problems too."
	}
	b.WriteString(wrapIndent(st.Subtle.Render(fix), w, ""))
	return b.String()
}

func (s brokenScreen) View() string {
	return lipgloss.NewStyle().PaddingLeft(2).PaddingTop(1).Render(s.sc.window(s.sh.styles, s.content(), s.viewHeight()))
}

func (b brokenScreen) init() tea.Cmd { return nil } // nothing to start: its data came with it
func (b brokenScreen) Typing() bool { return false } // no text field
func (b brokenScreen) onQuit() tea.Cmd { return nil } // nothing to save or close
func (b brokenScreen) refresh() tea.Cmd { return nil } // nothing depends on the theme beyond View
func (b brokenScreen) Position() string { return "" } // no position to show
