package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/labs"
	"serverside/lessons"
)

// newLabScreen builds the screen for a lab block of a lesson, and the
// command that starts the lab. The root opens it in answer to a request to
// open a lab; the screen closes the lab itself when the learner goes back
// or quits.
func newLabScreen(sh *shared, l *lessons.Lesson, lab *lessons.Lab) (screen, tea.Cmd, error) {
	switch lab.Kind {
	case labs.KindHTTP:
		spec, err := labs.DecodeHTTP(lab)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", l.Path, err)
		}
		s := newHTTPLabScreen(sh, l, spec)
		return s, s.init(), nil
	case labs.KindSQL:
		spec, err := labs.DecodeSQL(lab)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", l.Path, err)
		}
		s := newSQLLabScreen(sh, l, spec)
		return s, s.init(), nil
	case labs.KindBuild:
		spec, err := labs.DecodeBuild(lab)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", l.Path, err)
		}
		s := newBuildLabScreen(sh, l, spec)
		return s, s.init(), nil
	}
	return nil, nil, fmt.Errorf("%s: lab %q has unknown kind %q", l.Path, lab.ID, lab.Kind)
}

// labKey names one open lab, so its messages reach its screen only.
type labKey struct{ lesson, lab string }

type httpLabKeys struct {
	Send, Focus, Up, Down, PageUp, PageDown, Timeout, Copy, Guide, Back, Help key.Binding
}

func (k httpLabKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Send, k.Focus, k.Guide, k.Timeout, k.Copy, k.Back, k.Help}
}

func (k httpLabKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Send, k.Focus, k.Guide, k.Timeout, k.Copy}, {k.Up, k.Down, k.PageUp, k.PageDown}, {k.Back, k.Help, quitKey()}}
}

func newHTTPLabKeys() httpLabKeys {
	return httpLabKeys{
		Send:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "send")),
		Focus:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "request/log")),
		Up:       upKey(),
		Down:     downKey(),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll down")),
		Timeout:  key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "client timeout")),
		Copy:     key.NewBinding(key.WithKeys("ctrl+y"), key.WithHelp("ctrl+y", "copy as curl")),
		Guide:    key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "routes/log")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave the lab")),
		Help:     helpKey(),
	}
}

// timeouts the learner cycles through for requests sent from the screen.
var httpLabTimeouts = []time.Duration{0, time.Second, 3 * time.Second}

// httpLabScreen runs an HTTP scenario: the learner writes requests as they
// look on the wire, sends them (or uses curl elsewhere), and reads every
// exchange the server saw, raw.
type httpLabScreen struct {
	sh      *shared
	key     labKey
	spec    labs.HTTPSpec
	keys    httpLabKeys
	lab     *labs.HTTPLab
	err     error
	tasks   []labs.TaskStatus
	log     []labs.Exchange
	editor  textarea.Model
	editing bool
	sel     int // index into log, counted from the newest
	scroll  int // first line of the selected exchange's detail
	timeout int // index into httpLabTimeouts
	sending bool
	guide   string          // the scenario's routes
	showGde bool            // the routes instead of the log
	saved   map[string]bool // tasks done in this or an earlier visit, as stored
	width   int
	height  int
}

type (
	httpLabStartedMsg struct {
		key labKey
		lab *labs.HTTPLab
		err error
	}
	// httpLabChangedMsg carries a fresh copy of the lab's log and tasks.
	httpLabChangedMsg struct {
		lab   *labs.HTTPLab
		log   []labs.Exchange
		tasks []labs.TaskStatus
	}
	httpLabSentMsg struct {
		lab *labs.HTTPLab
		ex  labs.Exchange
		err error
	}
)

func newHTTPLabScreen(sh *shared, l *lessons.Lesson, spec labs.HTTPSpec) httpLabScreen {
	ed := textarea.New()
	ed.ShowLineNumbers = false
	ed.Prompt = "│ "
	ed.SetValue(labs.ScenarioStarter(spec.Scenario))
	ed.Focus()
	tasks, _ := labs.ScenarioTasks(spec.Scenario)
	if len(spec.Tasks) > 0 {
		var picked []labs.TaskStatus
		for _, id := range spec.Tasks {
			for _, t := range tasks {
				if t.ID == id {
					picked = append(picked, t)
				}
			}
		}
		tasks = picked
	}
	guide, _ := labs.ScenarioGuide(spec.Scenario)
	return httpLabScreen{sh: sh, key: labKey{l.ID, spec.ID}, spec: spec, keys: newHTTPLabKeys(), editor: ed, editing: true, tasks: tasks, guide: guide}
}

func (s httpLabScreen) init() tea.Cmd {
	k, spec := s.key, s.spec
	return tea.Batch(loadLabTasks(s.sh, k), func() tea.Msg {
		lab, err := labs.StartHTTP(context.Background(), spec.Scenario, spec.Tasks...)
		return httpLabStartedMsg{key: k, lab: lab, err: err}
	})
}

// waitHTTPLab waits for the next exchange, or for the lab to close.
func waitHTTPLab(lab *labs.HTTPLab) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-lab.Changes():
			return httpLabChangedMsg{lab: lab, log: lab.Log(), tasks: lab.Tasks()}
		case <-lab.Done():
			return nil
		}
	}
}

func closeHTTPLab(lab *labs.HTTPLab) tea.Cmd {
	return closeLab("server", lab != nil, func() error { return lab.Close() })
}

func (s httpLabScreen) Title() string {
	return labTitle(s.spec.Title, s.spec.ID)
}

func (s httpLabScreen) Keys() helpKeyMap { return s.keys }

// Typing is true while the request editor has the focus.
func (s httpLabScreen) Typing() bool { return s.editing }

func (s httpLabScreen) onQuit() tea.Cmd { return closeHTTPLab(s.lab) }

func (s httpLabScreen) SetSize(w, h int) screen {
	s.width, s.height = w, h
	s.editor.SetWidth(max(20, min(w-4, maxTextWidth)))
	s.editor.SetHeight(s.editorHeight())
	return s
}

func (s httpLabScreen) editorHeight() int { return max(3, min(8, s.height/4)) }

func (s httpLabScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case httpLabStartedMsg:
		if msg.key != s.key {
			return s, nil
		}
		if msg.err != nil {
			s.err = msg.err
			return s, nil
		}
		s.lab, s.tasks = msg.lab, msg.lab.Tasks()
		return s, waitHTTPLab(msg.lab)
	case labTasksMsg:
		if msg.key == s.key {
			for id := range s.saved {
				msg.done[id] = true
			}
			s.saved = msg.done
		}
		return s, nil
	case httpLabChangedMsg:
		if msg.lab != s.lab || s.lab == nil {
			return s, nil
		}
		before := s.doneCount()
		s.log, s.tasks = msg.log, msg.tasks
		var cmd tea.Cmd
		if n := s.doneCount(); n > before {
			text := fmt.Sprintf("Task done! %d of %d.", n, len(s.tasks))
			cmd = func() tea.Msg { return statusMsg{text} }
		}
		// A task ticks once and stays done: keep the new ones.
		var fresh []string
		if s.saved == nil {
			s.saved = map[string]bool{}
		}
		for _, t := range s.tasks {
			if t.Done && !s.saved[t.ID] {
				s.saved[t.ID] = true
				fresh = append(fresh, t.ID)
			}
		}
		return s, tea.Batch(waitHTTPLab(s.lab), cmd, saveLabTasks(s.sh, s.key, fresh...))
	case httpLabSentMsg:
		if msg.lab != s.lab {
			return s, nil
		}
		s.sending = false
		if msg.err != nil {
			err := msg.err
			return s, func() tea.Msg { return errMsg{err} }
		}
		s.sel, s.scroll = 0, 0
		return s, nil
	case tea.KeyPressMsg:
		return s.updateKey(msg)
	case tea.PasteMsg:
		if s.editing {
			var cmd tea.Cmd
			s.editor, cmd = s.editor.Update(msg)
			return s, cmd
		}
	}
	return s, nil
}

func (s httpLabScreen) doneCount() int {
	n := 0
	for _, t := range s.tasks {
		if t.Done {
			n++
		}
	}
	return n
}

func (s httpLabScreen) request() (labs.Request, error) {
	req, err := labs.ParseRequest(s.editor.Value())
	req.Timeout = httpLabTimeouts[s.timeout]
	return req, err
}

func (s httpLabScreen) updateKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, s.keys.Back):
		if s.editing {
			s.editing = false
			s.editor.Blur()
			return s, nil
		}
		return s, tea.Sequence(closeHTTPLab(s.lab), func() tea.Msg { return backMsg{} })
	case key.Matches(msg, s.keys.Focus):
		s.editing = !s.editing
		if s.editing {
			return s, s.editor.Focus()
		}
		s.editor.Blur()
		return s, nil
	case key.Matches(msg, s.keys.Send):
		if s.lab == nil || s.sending {
			return s, nil
		}
		req, err := s.request()
		if err != nil {
			return s, func() tea.Msg { return errMsg{fmt.Errorf("request: %w", err)} }
		}
		s.sending = true
		lab := s.lab
		return s, func() tea.Msg {
			ex, err := lab.Send(context.Background(), req)
			return httpLabSentMsg{lab: lab, ex: ex, err: err}
		}
	case key.Matches(msg, s.keys.Guide):
		s.showGde, s.scroll = !s.showGde, 0
		return s, nil
	case key.Matches(msg, s.keys.Timeout):
		s.timeout = (s.timeout + 1) % len(httpLabTimeouts)
		return s, nil
	case key.Matches(msg, s.keys.Copy):
		if s.lab == nil {
			return s, nil
		}
		req, err := s.request()
		if err != nil {
			return s, func() tea.Msg { return errMsg{fmt.Errorf("request: %w", err)} }
		}
		return s, tea.Batch(tea.SetClipboard(s.lab.CurlLine(req)), func() tea.Msg { return statusMsg{"Copied the curl command."} })
	}
	if s.editing {
		var cmd tea.Cmd
		s.editor, cmd = s.editor.Update(msg)
		return s, cmd
	}
	switch {
	case key.Matches(msg, s.keys.Up):
		s.sel, s.scroll = max(0, s.sel-1), 0
	case key.Matches(msg, s.keys.Down):
		s.sel, s.scroll = min(max(0, len(s.log)-1), s.sel+1), 0
	case key.Matches(msg, s.keys.PageDown):
		s.scroll += max(1, s.height/3)
	case key.Matches(msg, s.keys.PageUp):
		s.scroll = max(0, s.scroll-max(1, s.height/3))
	}
	return s, nil
}

func (s httpLabScreen) View() string { return fitWidth(s.view(), s.width) }

func (s httpLabScreen) view() string {
	st := s.sh.styles
	w := max(30, min(s.width-2, maxTextWidth))
	var b strings.Builder
	b.WriteString(st.Title.Render(s.Title()) + "\n")
	switch {
	case s.err != nil:
		b.WriteString(st.Bad.Render("The lab server could not start: ") + s.err.Error() + "\n" + st.Subtle.Render("Press esc to go back."))
		return b.String()
	case s.lab == nil:
		b.WriteString(st.Subtle.Render("Starting the server…"))
		return b.String()
	}
	server := st.Subtle.Render("Server: ") + st.Prompt.Render(s.lab.BaseURL())
	if note := "  (curl works too; every request shows below)"; ansi.StringWidth(ansi.Strip(server)+note) <= w {
		server += st.Subtle.Render(note)
	}
	b.WriteString(server + "\n\n")

	// Tasks: all titles, and what to do for the first one not done.
	next := -1
	for i, t := range s.tasks {
		mark := st.Todo.Render("·")
		title := st.Lesson.Render(t.Title)
		if t.Done {
			mark, title = st.Done.Render("✓"), st.Subtle.Render(t.Title)
		} else if s.saved[t.ID] {
			mark, title = st.Done.Render("✓"), st.Subtle.Render(t.Title+" (done on an earlier visit)")
		} else if next < 0 {
			next = i
			title = st.Selected.Render(t.Title)
		}
		b.WriteString(" " + mark + " " + title + "\n")
	}
	if next >= 0 {
		b.WriteString(st.Hint.Render(wrapText(s.tasks[next].Do, w-2, "   ")) + "\n")
	} else if len(s.tasks) > 0 {
		b.WriteString(st.Good.Render("   Every task is done.") + "\n")
	}

	// The request editor, and the same request as a curl command.
	label := "Request"
	if s.sending {
		label += " (sending…)"
	}
	if t := httpLabTimeouts[s.timeout]; t > 0 {
		label += fmt.Sprintf(" · client timeout %s", t)
	}
	b.WriteString("\n" + st.CardTitle.Render(label) + "\n" + s.editor.View() + "\n")
	if req, err := s.request(); err == nil {
		b.WriteString(st.Subtle.Render(ansi.Truncate(s.lab.CurlLine(req), w, "…")) + "\n")
	} else {
		b.WriteString(st.Bad.Render(ansi.Truncate(err.Error(), w, "…")) + "\n")
	}

	used := strings.Count(b.String(), "\n")
	if s.showGde {
		b.WriteString(s.guideView(max(3, s.height-used-1)))
	} else {
		b.WriteString(s.logView(w, max(3, s.height-used-1)))
	}
	return b.String()
}

// guideView shows the scenario's routes (markdown reads well as it is).
func (s httpLabScreen) guideView(h int) string {
	st := s.sh.styles
	lines := strings.Split(s.guide, "\n")
	start := min(s.scroll, max(0, len(lines)-(h-1)))
	var b strings.Builder
	b.WriteString(st.CardTitle.Render("Routes (ctrl+g for the log)") + "\n")
	for _, l := range lines[start:min(len(lines), start+h-1)] {
		b.WriteString(st.Lesson.Render(l) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// logView lists the exchanges, newest first, and shows the selected one raw.
func (s httpLabScreen) logView(w, h int) string {
	st := s.sh.styles
	var b strings.Builder
	title := "Exchanges"
	if !s.editing {
		title += " (↑/↓ to pick, pgup/pgdn to scroll)"
	}
	b.WriteString(st.CardTitle.Render(title) + "\n")
	if len(s.log) == 0 {
		b.WriteString(st.Subtle.Render("  None yet: ctrl+s sends the request above; ctrl+g lists the routes."))
		return b.String()
	}
	listH := min(len(s.log), max(1, h/3))
	first := max(0, min(s.sel-listH/2, len(s.log)-listH))
	for i := first; i < first+listH; i++ {
		ex := s.log[len(s.log)-1-i]
		line := exchangeLine(ex)
		if i == s.sel {
			b.WriteString(st.Cursor.Render("▸ ") + st.Selected.Render(ansi.Truncate(line, w-2, "…")) + "\n")
		} else {
			b.WriteString("  " + st.Lesson.Render(ansi.Truncate(line, w-2, "…")) + "\n")
		}
	}
	ex := s.log[len(s.log)-1-min(s.sel, len(s.log)-1)]
	detail := strings.Split(exchangeDetail(ex), "\n")
	room := max(1, h-listH-1)
	start := min(s.scroll, max(0, len(detail)-room))
	for _, line := range detail[start:min(len(detail), start+room)] {
		b.WriteString(st.Subtle.Render(ansi.Truncate(line, w, "…")) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func exchangeLine(ex labs.Exchange) string {
	what := ex.Method + " " + ex.Target
	if ex.Method == "" {
		what = "(not a valid HTTP request)"
	}
	status := "no response"
	if ex.Status > 0 {
		status = fmt.Sprintf("%d", ex.Status)
	}
	if ex.ClientGaveUp {
		status = "client gave up"
	}
	return fmt.Sprintf("#%d %s → %s  %s", ex.Seq, what, status, shortDuration(ex.Duration))
}

// shortDuration shows loopback times, mostly under a millisecond, readably.
func shortDuration(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	}
	return d.Round(time.Millisecond).String()
}

// exchangeDetail is the raw request and response, with line endings shown
// as they are on the wire.
func exchangeDetail(ex labs.Exchange) string {
	raw := func(p []byte) string {
		return strings.TrimRight(strings.ReplaceAll(strings.ToValidUTF8(string(p), "�"), "\r\n", "\n"), "\n")
	}
	out := "── request ──\n" + raw(ex.RawRequest) + "\n── response ──\n" + raw(ex.RawResponse)
	if ex.Truncated {
		out += "\n… (longer than 64 KiB: the rest is not kept)"
	}
	return out
}

// fitWidth cuts every line of a view to the screen's width.
func fitWidth(view string, w int) string {
	if w <= 0 {
		return view
	}
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	return strings.Join(lines, "\n")
}

// wrapText wraps plain text to width, indenting every line.
func wrapText(s string, width int, indent string) string {
	var lines []string
	line := indent
	for _, word := range strings.Fields(s) {
		if ansi.StringWidth(line)+ansi.StringWidth(word)+1 > width && strings.TrimSpace(line) != "" {
			lines = append(lines, line)
			line = indent
		}
		if strings.TrimSpace(line) != "" {
			line += " "
		}
		line += word
	}
	return strings.Join(append(lines, line), "\n")
}
