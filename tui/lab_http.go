package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/labs"
	"serverside/lessons"
	"serverside/render"
	"serverside/termsafe"
)

// newLabScreen builds the screen for a lab block of a lesson, and the
// command that starts the lab. The root opens it in answer to a request to
// open a lab; the screen closes the lab itself when the learner goes back
// or quits.
func newLabScreen(sh *shared, l *lessons.Lesson, lab *lessons.Lab) (screen, tea.Cmd, error) {
	pol := sh.labPol
	if (lab.Kind == labs.KindHTTP && !pol.HTTP) || (lab.Kind == labs.KindSQL && !pol.SQL) {
		return nil, nil, fmt.Errorf("the %s lab does not run here: open it in serverside on your own machine", lab.Kind)
	}
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
	Send, Focus, Up, Down, PageUp, PageDown, Timeout, Copy, Cookies, Guide, Back, Help key.Binding
}

func (k httpLabKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Send, k.Guide, k.Focus, k.Back, k.Help}
}

func (k httpLabKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Send, k.Focus, k.Guide, k.Timeout, k.Copy}, {k.Up, k.Down, k.PageUp, k.PageDown}, {k.Cookies, k.Back, k.Help, quitKey()}}
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
		Cookies:  key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "clear cookies")),
		Guide:    key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "routes")),
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
	guide   string // the scenario's routes, markdown
	showGde bool   // the routes instead of the log
	// guideOut is the routes rendered for the current width and theme.
	guideOut string
	guideFor renderKey
	jar      labs.CookieJar  // cookies the server set for the composer
	saved    map[string]bool // tasks done in this or an earlier visit, as stored
	// inputTheme is the theme the editor is styled for.
	inputTheme render.Theme
	width      int
	height     int
}

type (
	httpLabStartedMsg struct {
		key labKey
		lab *labs.HTTPLab
		err error
		was string // the address asked for, "" the first time
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
	ed.SetStyles(textAreaStyles(sh.theme))
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
	k := labKey{l.ID, spec.ID}
	keys := newHTTPLabKeys()
	if !sh.labPol.CurlHint {
		// A curl line names this machine's loopback: of no use to a
		// learner whose terminal is elsewhere.
		keys.Copy.SetEnabled(false)
	}
	return httpLabScreen{sh: sh, inputTheme: sh.theme, key: k, jar: sh.labs.jars[k], spec: spec, keys: keys, editor: ed, editing: true, tasks: tasks, guide: guide}
}

func (s httpLabScreen) init() tea.Cmd {
	k, spec := s.key, s.spec
	// The address this lab had earlier in the run, so curl lines the
	// learner keeps in another terminal still reach it.
	was := s.sh.labs.addrs[k]
	ctx := s.sh.store.ctx // ends with the session
	return tea.Batch(loadLabTasks(s.sh, k), func() tea.Msg {
		lab, err := labs.StartHTTPAt(ctx, was, spec.Scenario, spec.Tasks...)
		return httpLabStartedMsg{key: k, lab: lab, err: err, was: was}
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

// Keys says what esc does where the focus is, and offers the full key
// list by a key the editor does not take.
func (s httpLabScreen) Keys() helpKeyMap {
	k := s.keys
	if s.showGde {
		k.Guide = key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "log"))
	}
	if s.editing {
		k.Focus = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "log"))
		k.Back = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave the editor"))
		k.Help = typingHelpKey()
	} else {
		k.Focus = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "request"))
	}
	return k
}

// Typing is true while the request editor has the focus.
func (s httpLabScreen) Typing() bool { return s.editing }

func (s httpLabScreen) onQuit() tea.Cmd { return closeHTTPLab(s.lab) }

func (s httpLabScreen) SetSize(w, h int) screen {
	s.width, s.height = w, h
	s.editor.SetWidth(max(20, min(w-4, maxTextWidth)))
	s.editor.SetHeight(s.editorHeight())
	return s
}

// editorHeight follows the request, within bounds that leave the
// exchange most of the screen.
func (s httpLabScreen) editorHeight() int {
	most := 8
	if s.height < 34 {
		most = 4
	}
	return max(3, min(most, s.editor.LineCount()+1))
}

func (s httpLabScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if s.inputTheme != s.sh.theme {
		s.inputTheme = s.sh.theme
		s.editor.SetStyles(textAreaStyles(s.inputTheme))
	}
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
		addr := strings.TrimPrefix(msg.lab.BaseURL(), "http://")
		s.sh.labs.rememberAddr(s.key, addr)
		var moved tea.Cmd
		if msg.was != "" && msg.was != addr {
			text := fmt.Sprintf("The lab's address changed: %s was taken, so it is now %s. Update curl lines elsewhere.", msg.was, addr)
			moved = func() tea.Msg { return statusMsg{text} }
		}
		return s, tea.Batch(waitHTTPLab(msg.lab), moved)
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
			for _, t := range s.tasks {
				if !t.Done && !s.saved[t.ID] {
					text += " Next: " + t.Title
					break
				}
			}
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
		s.jar = s.jar.Update(msg.ex, time.Now())
		s.sh.labs.keepJar(s.key, s.jar)
		return s, nil
	case renderedMsg:
		if msg.key.content != hashText(s.guide) {
			return s, nil
		}
		if msg.err != nil {
			// The routes read well enough as they are.
			s.guideOut = ""
			return s, nil
		}
		if msg.key == s.guideKey() {
			s.guideOut, s.guideFor = msg.out, msg.key
		}
		return s, nil
	case tea.KeyPressMsg:
		return s.updateKey(msg)
	case tea.PasteMsg:
		if s.editing {
			var cmd tea.Cmd
			s.editor, cmd = s.editor.Update(msg)
			s.editor.SetHeight(s.editorHeight())
			return s, cmd
		}
	}
	return s, nil
}

func (s httpLabScreen) doneCount() int {
	n := 0
	for _, t := range s.tasks {
		if t.Done || s.saved[t.ID] { // this visit or an earlier one
			n++
		}
	}
	return n
}

// request is what the editor says, with the jar's cookies and the chosen
// client timeout.
func (s httpLabScreen) request() (labs.Request, error) {
	req, err := labs.ParseRequest(s.editor.Value())
	req.Timeout = httpLabTimeouts[s.timeout]
	return s.jar.Apply(req), err
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
		ctx := s.sh.store.ctx // ends with the session
		return s, func() tea.Msg {
			ex, err := lab.Send(ctx, req)
			return httpLabSentMsg{lab: lab, ex: ex, err: err}
		}
	case key.Matches(msg, s.keys.Guide):
		s.showGde, s.scroll = !s.showGde, 0
		if s.showGde {
			return s, s.renderGuide()
		}
		return s, nil
	case key.Matches(msg, s.keys.Cookies):
		if s.jar.Len() == 0 {
			return s, func() tea.Msg { return statusMsg{"No cookies to clear."} }
		}
		s.jar = labs.CookieJar{}
		s.sh.labs.keepJar(s.key, s.jar)
		return s, func() tea.Msg { return statusMsg{"Cookies cleared: the next request goes without them."} }
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
		s.editor.SetHeight(s.editorHeight())
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

// guideKey is the routes' render at the current width and theme.
func (s httpLabScreen) guideKey() renderKey {
	return renderKey{content: hashText(s.guide), width: max(20, min(s.width-2, maxTextWidth)), theme: s.sh.theme}
}

// renderGuide renders the routes as markdown, from the cache when it can.
func (s httpLabScreen) renderGuide() tea.Cmd {
	if s.width == 0 || s.guide == "" {
		return nil
	}
	k := s.guideKey()
	if out, ok := s.sh.renders.get(k); ok {
		return func() tea.Msg { return renderedMsg{key: k, out: out} }
	}
	return renderCmd(s.sh.renders, k, s.guide)
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
	h := max(1, s.height)
	server := st.Subtle.Render("Server: ") + st.Prompt.Render(s.lab.BaseURL())
	// Where the learner's terminal is elsewhere (SSH), their curl cannot
	// reach this machine's loopback: no hint to try.
	if note := "  (curl works too; every request shows below)"; s.sh.labPol.CurlHint && ansi.StringWidth(ansi.Strip(server)+note) <= w {
		server += st.Subtle.Render(note)
	}
	b.WriteString(server + "\n")
	// The exchange is what the lab is about: above it, the tasks take a
	// line or three and the request editor only what it needs.
	tall := h >= 34
	if tall {
		b.WriteString("\n")
	}
	b.WriteString(s.tasksView(w, tall))

	label := "Request"
	if s.sending {
		label += " (sending…)"
	}
	if t := httpLabTimeouts[s.timeout]; t > 0 {
		label += fmt.Sprintf(" · client timeout %s", t)
	}
	if tall {
		b.WriteString("\n")
	}
	req, reqErr := s.request()
	if s.editing {
		b.WriteString(st.CardTitle.Render(label) + "\n" + s.editor.View() + "\n")
	} else {
		// The log has the focus: the request shrinks to its first line.
		first, _, _ := strings.Cut(strings.TrimLeft(s.editor.Value(), "\n"), "\n")
		b.WriteString(st.CardTitle.Render(label+":") + " " + st.Lesson.Render(ansi.Truncate(first, max(1, w-ansi.StringWidth(label)-2), "…")) + st.Subtle.Render("  (tab edits)") + "\n")
	}
	if reqErr == nil {
		if s.sh.labPol.CurlHint {
			b.WriteString(st.Subtle.Render(ansi.Truncate(s.lab.CurlLine(req), w, "…")) + "\n")
		}
	} else {
		b.WriteString(st.Bad.Render(ansi.Truncate(reqErr.Error(), w, "…")) + "\n")
	}
	if s.jar.Len() > 0 {
		b.WriteString(st.Subtle.Render(ansi.Truncate("Cookies sent back: "+s.jar.Header()+"  (ctrl+x clears)", w, "…")) + "\n")
	}

	used := strings.Count(b.String(), "\n")
	if s.showGde {
		b.WriteString(s.guideView(w, max(3, h-used)))
	} else {
		b.WriteString(s.logView(w, max(3, h-used)))
	}
	return b.String()
}

// tasksView lists every task on a tall screen; else one line of progress
// and what to do for the next task, in at most two lines.
func (s httpLabScreen) tasksView(w int, all bool) string {
	st := s.sh.styles
	var b strings.Builder
	next, done := -1, 0
	for i, t := range s.tasks {
		if t.Done || s.saved[t.ID] {
			done++
		} else if next < 0 {
			next = i
		}
	}
	if all {
		for i, t := range s.tasks {
			mark := st.Todo.Render("·")
			title := st.Lesson.Render(t.Title)
			switch {
			case t.Done:
				mark, title = st.Done.Render("✓"), st.Subtle.Render(t.Title)
			case s.saved[t.ID]:
				mark, title = st.Done.Render("✓"), st.Subtle.Render(t.Title+" (done on an earlier visit)")
			case i == next:
				title = st.Selected.Render(t.Title)
			}
			b.WriteString(" " + mark + " " + title + "\n")
		}
	} else if len(s.tasks) > 0 {
		head := fmt.Sprintf("Tasks %d/%d", done, len(s.tasks))
		line := st.CardTitle.Render(head)
		if next >= 0 {
			line += st.Subtle.Render(" · next: ") + st.Selected.Render(ansi.Truncate(s.tasks[next].Title, max(1, w-ansi.StringWidth(head)-9), "…"))
		}
		b.WriteString(line + "\n")
	}
	switch {
	case next >= 0:
		do := strings.Split(wrapText(s.tasks[next].Do, w-2, "   "), "\n")
		if !all && len(do) > 2 {
			do = cutLines(do, 2, w)
		}
		b.WriteString(st.Hint.Render(strings.Join(do, "\n")) + "\n")
	case len(s.tasks) > 0:
		b.WriteString(st.Good.Render("   Every task is done.") + "\n")
	}
	return b.String()
}

// guideView shows the scenario's routes, rendered as markdown once the
// render for this width arrives.
func (s httpLabScreen) guideView(w, h int) string {
	st := s.sh.styles
	text := s.guideOut
	if text == "" || s.guideFor != s.guideKey() {
		text = st.Lesson.Render(wrapText(s.guide, w, ""))
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	start := min(s.scroll, max(0, len(lines)-(h-1)))
	var b strings.Builder
	b.WriteString(st.CardTitle.Render("Routes (ctrl+g for the log)") + "\n")
	for _, l := range lines[start:min(len(lines), start+h-1)] {
		b.WriteString(l + "\n")
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
		b.WriteString(st.Subtle.Render(wrapText("None yet: ctrl+s sends the request above; ctrl+g lists the routes.", w, "  ")))
		return b.String()
	}
	// A few lines of the list; the selected exchange gets the rest.
	listH := min(len(s.log), max(1, min(4, h/4)))
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
		return fmt.Sprintf("#%d %s → %s", ex.Seq, what, ex.Outcome())
	}
	return fmt.Sprintf("#%d %s → %s  %s", ex.Seq, termsafe.Line(what), status, shortDuration(ex.Duration))
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
		return strings.TrimRight(termsafe.Text(string(p)), "\n")
	}
	resp := raw(ex.RawResponse)
	if ex.ClientGaveUp || len(ex.RawResponse) == 0 {
		resp = "(" + ex.Outcome() + ")"
	}
	out := "── request ──\n" + raw(ex.RawRequest) + "\n── response ──\n" + resp
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

// refresh restyles the editor after a theme change, and renders the
// routes again for a new width or theme.
func (s httpLabScreen) refresh() tea.Cmd {
	if s.showGde {
		return tea.Batch(restyleInputs, s.renderGuide())
	}
	return restyleInputs
}

func (h httpLabScreen) Position() string { return "" } // no position to show
