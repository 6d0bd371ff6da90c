package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/labs"
	"serverside/lessons"
	"serverside/render"
	"serverside/termsafe"
)

type sqlLabKeys struct {
	Run, Check, Session, Reset, Focus, Up, Down, PageUp, PageDown, Back, Help key.Binding
}

func (k sqlLabKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Run, k.Check, k.Focus, k.Back, k.Help}
}

func (k sqlLabKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Run, k.Check, k.Session, k.Focus}, {k.Up, k.Down, k.PageUp, k.PageDown}, {k.Reset, k.Back, k.Help, quitKey()}}
}

// Keys says what esc does where the focus is, and offers the full key
// list by a key the editor does not take.
func (s sqlLabScreen) Keys() helpKeyMap {
	k := s.keys
	if s.editing {
		k.Back = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave the editor"))
		k.Focus = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "tasks"))
		k.Help = typingHelpKey()
	} else {
		k.Focus = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "editor"))
	}
	return k
}

func newSQLLabKeys() sqlLabKeys {
	return sqlLabKeys{
		Run:      key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "run")),
		Check:    key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "check")),
		Session:  key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "other session")),
		Reset:    key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "fresh database")),
		Focus:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "editor/tasks")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous task")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next task")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll rows up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll rows down")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave the lab")),
		Help:     helpKey(),
	}
}

// sqlLabScreen is a SQL console on the lab database, with the lab's tasks
// and up to two sessions to watch transactions from both sides.
type sqlLabScreen struct {
	sh       *shared
	key      labKey
	spec     labs.SQLSpec
	keys     sqlLabKeys
	lab      *labs.SQLLab
	err      error
	sessions []*labs.Session
	cur      int
	drafts   []string // editor text per session
	editor   textarea.Model
	editing  bool
	task     int
	verdicts map[string]labs.Verdict
	saved    map[string]bool // tasks passed in this or an earlier visit, as stored
	misses   map[string]int  // wrong checks per task
	result   *labs.Result
	resErr   string
	resFrom  string // session that produced result or resErr
	// inTx is each session's transaction state after its last statement
	// (asking the session would wait while it runs a query).
	inTx    map[string]bool
	running bool
	// inputTheme is the theme the editor is styled for.
	inputTheme render.Theme
	opening    bool // a new session is on its way
	moved      bool // the learner picked a task: loading progress keeps it
	// table is result laid out for tableWidth, once per result and width:
	// measuring every cell on every frame froze the screen on big results.
	table      []string
	tableWidth int
	scroll     int
	width      int
	height     int
}

type (
	sqlLabStartedMsg struct {
		key labKey
		lab *labs.SQLLab
		err error
	}
	sqlLabResultMsg struct {
		lab     *labs.SQLLab
		session string
		res     labs.Result
		err     error
	}
	sqlLabVerdictMsg struct {
		lab *labs.SQLLab
		v   labs.Verdict
		err error
	}
	sqlLabSessionMsg struct {
		lab     *labs.SQLLab
		session *labs.Session
		err     error
	}
)

func newSQLLabScreen(sh *shared, l *lessons.Lesson, spec labs.SQLSpec) sqlLabScreen {
	ed := textarea.New()
	ed.ShowLineNumbers = false
	ed.Prompt = "│ "
	ed.Placeholder = "SELECT * FROM customers LIMIT 10;"
	ed.SetStyles(textAreaStyles(sh.theme))
	ed.Focus()
	return sqlLabScreen{sh: sh, inputTheme: sh.theme, key: labKey{l.ID, spec.ID}, spec: spec, keys: newSQLLabKeys(), editor: ed, editing: true,
		verdicts: map[string]labs.Verdict{}, misses: map[string]int{}, drafts: []string{""}, inTx: map[string]bool{}}
}

func (s sqlLabScreen) init() tea.Cmd {
	k := s.key
	ctx := s.sh.store.ctx // ends with the session
	return tea.Batch(loadLabTasks(s.sh, k), func() tea.Msg {
		lab, err := labs.OpenSQL(ctx)
		return sqlLabStartedMsg{key: k, lab: lab, err: err}
	})
}

func closeSQLLab(lab *labs.SQLLab) tea.Cmd {
	return closeLab("database", lab != nil, func() error { return lab.Close() })
}

func (s sqlLabScreen) Title() string {
	return labTitle(s.spec.Title, s.spec.ID)
}

func (s sqlLabScreen) Typing() bool    { return s.editing }
func (s sqlLabScreen) onQuit() tea.Cmd { return closeSQLLab(s.lab) }

func (s sqlLabScreen) SetSize(w, h int) screen {
	s.width, s.height = w, h
	s.editor.SetWidth(max(20, min(w-4, maxTextWidth)))
	s.editor.SetHeight(s.editorHeight())
	return s.layoutResult()
}

// layoutResult lays out the result table for the current width, if the
// result or the width changed.
func (s sqlLabScreen) layoutResult() sqlLabScreen {
	w := s.textWidth() // the width view lays the result out at
	switch {
	case s.result == nil || len(s.result.Columns) == 0:
		s.table, s.tableWidth = nil, 0
	case s.table == nil || s.tableWidth != w:
		s.table, s.tableWidth = tableLines(s.result.Columns, s.result.Rows, w), w
	}
	return s
}

// editorHeight grows with the query, not with the window: the room a
// taller window gives goes to the results.
func (s sqlLabScreen) editorHeight() int {
	most := 6
	if s.height < 18 {
		most = 3
	}
	return max(3, min(most, s.editor.LineCount()+1))
}

func (s sqlLabScreen) sessionName() string {
	if s.cur < len(s.sessions) {
		return s.sessions[s.cur].Name()
	}
	return "A"
}

// refresh restyles the editor after a theme change.
func (s sqlLabScreen) refresh() tea.Cmd { return restyleInputs }

func (s sqlLabScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if s.inputTheme != s.sh.theme {
		s.inputTheme = s.sh.theme
		s.editor.SetStyles(textAreaStyles(s.inputTheme))
	}
	switch msg := msg.(type) {
	case sqlLabStartedMsg:
		if msg.key != s.key {
			return s, nil
		}
		if msg.err != nil {
			s.err = msg.err
			return s, nil
		}
		s.lab, s.sessions = msg.lab, msg.lab.Sessions()
		return s, nil
	case sqlLabResultMsg:
		if msg.lab != s.lab {
			return s, nil
		}
		s.running, s.resFrom, s.scroll = false, msg.session, 0
		if msg.err != nil {
			s.result, s.resErr = nil, msg.err.Error()
		} else {
			s.result, s.resErr = &msg.res, ""
			s.inTx[msg.session] = msg.res.InTransaction
		}
		s.table = nil
		return s.layoutResult(), nil
	case sqlLabVerdictMsg:
		if msg.lab != s.lab {
			return s, nil
		}
		s.running = false
		if msg.err != nil {
			err := msg.err
			return s, func() tea.Msg { return errMsg{err} }
		}
		s.verdicts[msg.v.TaskID] = msg.v
		var save, moved tea.Cmd
		if !msg.v.Passed {
			s.misses[msg.v.TaskID]++
		} else {
			if !s.saved[msg.v.TaskID] {
				if s.saved == nil {
					s.saved = map[string]bool{}
				}
				s.saved[msg.v.TaskID] = true
				save = saveLabTasks(s.sh, s.key, msg.v.TaskID)
			}
			moved = s.moveOn(msg.v)
			if next := s.nextUndone(s.task); next != s.task {
				s.task = next
			}
		}
		if msg.v.Got != nil {
			s.result, s.resErr, s.resFrom, s.scroll = msg.v.Got, "", s.sessionName(), 0
			s.table = nil
			s = s.layoutResult()
		}
		return s, tea.Batch(save, moved)
	case labTasksMsg:
		if msg.key == s.key {
			for id := range s.saved {
				msg.done[id] = true
			}
			s.saved = msg.done
			if !s.moved {
				s.task = s.nextUndone(0)
			}
		}
		return s, nil
	case sqlLabSessionMsg:
		if msg.lab != s.lab {
			return s, nil
		}
		s.opening = false
		if msg.err != nil {
			err := msg.err
			return s, func() tea.Msg { return errMsg{err} }
		}
		s.sessions = append(s.sessions, msg.session)
		// A session opened again after a reset gets back its text.
		return s.switchTo(len(s.sessions) - 1), nil
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

func (s sqlLabScreen) switchTo(i int) sqlLabScreen {
	for len(s.drafts) < len(s.sessions) {
		s.drafts = append(s.drafts, "")
	}
	s.drafts[s.cur] = s.editor.Value()
	s.cur = i
	s.editor.SetValue(s.drafts[i])
	s.editor.SetHeight(s.editorHeight())
	return s
}

func (s sqlLabScreen) updateKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, s.keys.Back):
		if s.editing {
			s.editing = false
			s.editor.Blur()
			return s, nil
		}
		return s, tea.Sequence(closeSQLLab(s.lab), func() tea.Msg { return backMsg{} })
	case key.Matches(msg, s.keys.Focus):
		s.editing = !s.editing
		if s.editing {
			return s, s.editor.Focus()
		}
		s.editor.Blur()
		return s, nil
	case key.Matches(msg, s.keys.Run):
		if s.lab == nil || s.running {
			return s, nil
		}
		if strings.TrimSpace(s.editor.Value()) == "" {
			return s, writeQueryFirst
		}
		s.running = true
		lab, sess, text := s.lab, s.sessions[s.cur], s.editor.Value()
		ctx := s.sh.store.ctx // ends with the session
		return s, func() tea.Msg {
			res, err := sess.Query(ctx, text)
			return sqlLabResultMsg{lab: lab, session: sess.Name(), res: res, err: err}
		}
	case key.Matches(msg, s.keys.Check):
		if s.lab == nil || s.running || len(s.spec.Tasks) == 0 {
			return s, nil
		}
		lab, task, text := s.lab, s.spec.Tasks[s.task], s.editor.Value()
		if task.Kind() == "result" && strings.TrimSpace(text) == "" {
			return s, writeQueryFirst
		}
		s.running = true
		ctx := s.sh.store.ctx // ends with the session
		return s, func() tea.Msg {
			v, err := lab.Check(ctx, task, text)
			return sqlLabVerdictMsg{lab: lab, v: v, err: err}
		}
	case key.Matches(msg, s.keys.Reset):
		if s.lab == nil || s.running {
			return s, nil
		}
		// A fresh database, the same tasks. What was typed in each session
		// stays with that session: A's text in A, B's waits for B.
		for len(s.drafts) < len(s.sessions) {
			s.drafts = append(s.drafts, "")
		}
		s.drafts[s.cur] = s.editor.Value()
		// Short: the status line has little room beside the lab's title.
		text := "The shop data is fresh again."
		if s.cur != 0 {
			text = "Fresh data; back in session A."
		}
		old := s.lab
		s.opening = false
		s.lab, s.sessions, s.cur, s.result, s.resErr, s.scroll, s.table = nil, nil, 0, nil, "", 0, nil
		s.inTx, s.verdicts = map[string]bool{}, map[string]labs.Verdict{}
		s.editor.SetValue(s.drafts[0])
		s.editor.SetHeight(s.editorHeight())
		return s, tea.Sequence(closeSQLLab(old), s.init(), func() tea.Msg { return statusMsg{text} })
	case key.Matches(msg, s.keys.Session):
		if s.lab == nil {
			return s, nil
		}
		if len(s.sessions) > 1 {
			return s.switchTo((s.cur + 1) % len(s.sessions)), nil
		}
		if s.opening {
			return s, nil
		}
		s.opening = true
		lab := s.lab
		ctx := s.sh.store.ctx // ends with the session
		return s, func() tea.Msg {
			sess, err := lab.NewSession(ctx)
			return sqlLabSessionMsg{lab: lab, session: sess, err: err}
		}
	case key.Matches(msg, s.keys.PageDown):
		// The rows scroll from either focus: a query is short, and the
		// editor has no use for whole pages.
		s.scroll = min(s.scroll+s.page(), s.maxScroll())
		return s, nil
	case key.Matches(msg, s.keys.PageUp):
		s.scroll = max(0, min(s.scroll, s.maxScroll())-s.page())
		return s, nil
	}
	if s.editing {
		var cmd tea.Cmd
		s.editor, cmd = s.editor.Update(msg)
		s.editor.SetHeight(s.editorHeight())
		return s, cmd
	}
	switch {
	case key.Matches(msg, s.keys.Up):
		s.task, s.moved = max(0, s.task-1), true
	case key.Matches(msg, s.keys.Down):
		s.task, s.moved = min(max(0, len(s.spec.Tasks)-1), s.task+1), true
	}
	return s, nil
}

// writeQueryFirst is the answer to running or checking an empty editor.
func writeQueryFirst() tea.Msg { return statusMsg{"Write a query first."} }

// page is how far pgup/pgdn scroll the rows.
func (s sqlLabScreen) page() int { return max(1, s.layout().rows-1) }

// maxScroll is the last useful first row.
func (s sqlLabScreen) maxScroll() int {
	if s.result == nil {
		return 0
	}
	return max(0, len(s.result.Rows)-s.layout().rows)
}

// nextUndone is the first task from i on (wrapping) not done yet, or i
// when every task is done.
func (s sqlLabScreen) nextUndone(i int) int {
	n := len(s.spec.Tasks)
	for k := range n {
		j := (i + k) % n
		t := s.spec.Tasks[j]
		if v, ok := s.verdicts[t.ID]; !(ok && v.Passed) && !s.saved[t.ID] {
			return j
		}
	}
	return min(i, max(0, n-1))
}

// moveOn says the task passed and which comes next.
func (s sqlLabScreen) moveOn(v labs.Verdict) tea.Cmd {
	done := 0
	for _, t := range s.spec.Tasks {
		if w, ok := s.verdicts[t.ID]; (ok && w.Passed) || s.saved[t.ID] {
			done++
		}
	}
	text := fmt.Sprintf("Task done! %d of %d.", done, len(s.spec.Tasks))
	if next := s.nextUndone(s.task); done < len(s.spec.Tasks) {
		text += " Next: " + s.spec.Tasks[next].DisplayTitle()
	} else {
		text += " Every task is done."
	}
	return func() tea.Msg { return statusMsg{text} }
}

func (s sqlLabScreen) View() string { return fitWidth(s.view(), s.width) }

// sqlLayout is how the screen's height is shared out. The results come
// first: they always get rows, and feedback is cut before they are.
type sqlLayout struct {
	tables   bool // the line naming the tables
	list     bool // every task a line, or only the selected one
	prompt   int  // lines of the task's prompt
	feedback int  // lines for the verdict, hints and plan
	gap      bool // a blank line before the editor
	rows     int  // result rows shown
}

func (s sqlLabScreen) layout() sqlLayout {
	h := max(1, s.height)
	w := s.textWidth()
	var l sqlLayout
	// What is always there: the title, the editor's label and the editor,
	// and the results' summary, header and rule.
	used := 1 + 1 + s.editorHeight() + 3
	minRows := max(3, h/4)
	room := func() int { return h - used - minRows }
	// Then, while room lasts: the task, what its check said, the whole
	// task list, the tables, a blank line.
	if n := len(s.spec.Tasks); n > 0 {
		used++ // the selected task's line, or the first of the list
		want := len(strings.Split(wrapText(render.Text(s.spec.Tasks[s.task].Prompt, 0, nil), w, "   "), "\n"))
		l.prompt = max(0, min(want, 3, room()))
		used += l.prompt
		l.feedback = max(0, min(len(s.feedbackLines(w, -1)), room()))
		used += l.feedback
		if n > 1 && room() >= n-1 {
			l.list, used = true, used+n-1
		}
	}
	if room() >= 1 {
		l.tables, used = true, used+1
	}
	if room() >= 1 {
		l.gap, used = true, used+1
	}
	l.rows = max(1, h-used)
	return l
}

func (s sqlLabScreen) textWidth() int { return max(30, min(s.width-2, maxTextWidth)) }

// feedbackLines is what the last check of the selected task said, one
// more hint after each wrong check, and the plan of a plan task, in at
// most most lines (-1: all): the message is cut before the newest hint.
func (s sqlLabScreen) feedbackLines(w, most int) []string {
	if len(s.spec.Tasks) == 0 {
		return nil
	}
	st := s.sh.styles
	t := s.spec.Tasks[s.task]
	v, ok := s.verdicts[t.ID]
	if !ok {
		return nil
	}
	lines := func(style lipgloss.Style, text string) []string {
		var out []string
		for _, line := range strings.Split(wrapText(text, w, "   "), "\n") {
			out = append(out, style.Render(line))
		}
		return out
	}
	if v.Passed {
		return cutLines(lines(st.Good, v.Message), most, w)
	}
	msg := lines(st.Bad, v.Message)
	var rest []string
	for _, h := range t.Hints[:min(len(t.Hints), s.misses[t.ID])] {
		rest = append(rest, lines(st.Hint, "Hint: "+h)...)
	}
	if v.Plan != "" {
		rest = append(rest, lines(st.Subtle, "Plan: "+strings.ReplaceAll(v.Plan, "\n", "; "))...)
	}
	if most < 0 || len(msg)+len(rest) <= most {
		return append(msg, rest...)
	}
	// Short of room: the message keeps a line or two, then the newest
	// hint, the one the learner has not seen yet.
	keep := max(1, min(len(msg), most-len(rest), 2))
	if len(rest) > most-keep {
		rest = rest[max(0, len(rest)-(most-keep)):]
	}
	return cutLines(append(cutLines(msg, keep, w), rest...), most, w)
}

// cutLines keeps at most n lines (-1: all), marking a cut with "…".
func cutLines(lines []string, n, w int) []string {
	if n < 0 || len(lines) <= n {
		return lines
	}
	if n == 0 {
		return nil
	}
	lines = append([]string(nil), lines[:n]...)
	lines[n-1] = ansi.Truncate(lines[n-1], w-2, "") + " …"
	return lines
}

func (s sqlLabScreen) view() string {
	st := s.sh.styles
	w := s.textWidth()
	var b strings.Builder
	b.WriteString(st.Title.Render(s.Title()) + "\n")
	switch {
	case s.err != nil:
		b.WriteString(st.Bad.Render("The lab database could not open: ") + s.err.Error() + "\n" + st.Subtle.Render("Press esc to go back."))
		return b.String()
	case s.lab == nil:
		b.WriteString(st.Subtle.Render("Preparing the shop database…"))
		return b.String()
	}
	l := s.layout()
	if l.tables {
		b.WriteString(st.Subtle.Render(ansi.Truncate("Tables: "+strings.Join(labs.SeedTables(), ", ")+". Money is in cents.", w, "…")) + "\n")
	}
	done := 0
	for _, t := range s.spec.Tasks {
		if s.taskDone(t.ID) {
			done++
		}
	}
	for i, t := range s.spec.Tasks {
		if !l.list && i != s.task {
			continue
		}
		mark := st.Todo.Render("·")
		if s.taskDone(t.ID) {
			mark = st.Done.Render("✓")
		}
		name := fmt.Sprintf("%d. %s", i+1, t.DisplayTitle())
		if !l.list {
			name = fmt.Sprintf("Task %d of %d (%d done): %s", i+1, len(s.spec.Tasks), done, t.DisplayTitle())
		}
		name = ansi.Truncate(name, w-3, "…")
		if i == s.task {
			b.WriteString(" " + mark + " " + st.Selected.Render(name) + "\n")
		} else {
			b.WriteString(" " + mark + " " + st.Lesson.Render(name) + "\n")
		}
	}
	if len(s.spec.Tasks) > 0 {
		t := s.spec.Tasks[s.task]
		prompt := strings.Split(wrapText(render.Text(t.Prompt, 0, nil), w, "   "), "\n") // the prompt is markdown, shown as clean text
		if len(prompt) > l.prompt && l.prompt > 0 {
			prompt = prompt[:l.prompt]
			prompt[l.prompt-1] = ansi.Truncate(prompt[l.prompt-1]+" …", w, "…")
		}
		for _, line := range prompt[:min(len(prompt), l.prompt)] {
			b.WriteString(st.Prompt.Render(line) + "\n")
		}
		for _, line := range s.feedbackLines(w, l.feedback) {
			b.WriteString(line + "\n")
		}
	}

	label := "Session " + s.sessionName()
	if s.inTx[s.sessionName()] {
		label += " · in a transaction"
	}
	if len(s.sessions) < 2 {
		label += st.Subtle.Render("  (ctrl+o opens session B)")
	}
	if s.running {
		label += " · running…"
	}
	if l.gap {
		b.WriteString("\n")
	}
	b.WriteString(st.CardTitle.Render(label) + "\n" + s.editor.View() + "\n")
	b.WriteString(s.resultView(w, l.rows))
	return b.String()
}

func (s sqlLabScreen) taskDone(id string) bool {
	v, ok := s.verdicts[id]
	return (ok && v.Passed) || s.saved[id]
}

// resultView shows the last result: a summary, the header and its rule,
// and rows rows from the scroll position.
func (s sqlLabScreen) resultView(w, rows int) string {
	st := s.sh.styles
	switch {
	case s.resErr != "":
		return st.Bad.Render(wrapText(fmt.Sprintf("Session %s: %s", s.resFrom, s.resErr), w, ""))
	case s.result == nil:
		return st.Subtle.Render(wrapText("Write SQL above and press ctrl+s to run it; ctrl+g checks the task.", w, ""))
	}
	r := s.result
	var b strings.Builder
	summary := fmt.Sprintf("Session %s · %s", s.resFrom, r.Elapsed.Round(time.Microsecond*100))
	switch {
	case len(r.Columns) == 0 && r.RowsAffected >= 0:
		summary += fmt.Sprintf(" · %d row(s) changed", r.RowsAffected)
	case len(r.Columns) == 0:
		summary += " · done"
	case r.TooLarge:
		summary += fmt.Sprintf(" · first %d rows shown (a result keeps at most %d MB)", len(r.Rows), labs.MaxResultBytes>>20)
	case r.Truncated:
		summary += fmt.Sprintf(" · first %d rows shown", len(r.Rows))
	default:
		summary += fmt.Sprintf(" · %d row(s)", len(r.Rows))
	}
	start := min(s.scroll, max(0, len(r.Rows)-rows))
	if len(r.Rows) > rows {
		summary += fmt.Sprintf(" · %d–%d (pgup/pgdn)", start+1, min(len(r.Rows), start+rows))
	}
	b.WriteString(st.Subtle.Render(ansi.Truncate(summary, w, "…")) + "\n")
	if len(r.Columns) == 0 {
		return b.String()
	}
	// The table is laid out once per result and width (layoutResult); at
	// another width, only the rows in view are.
	var lines, body []string
	if s.tableWidth == w && len(s.table) >= 2 {
		lines = s.table
		body = lines[2:][min(start, len(lines)-2):min(len(lines)-2, start+rows)]
	} else {
		lines = tableLines(r.Columns, r.Rows[start:min(len(r.Rows), start+rows)], w)
		body = lines[2:]
	}
	// The header and its rule stay; the rows scroll.
	b.WriteString(st.CardTitle.Render(lines[0]) + "\n" + st.Subtle.Render(lines[1]) + "\n")
	for _, line := range body {
		b.WriteString(st.Lesson.Render(line) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// tableLines lays out a result as aligned text columns within width: a
// header, a rule, and one line a row. Values are sanitised (they can hold
// any bytes) and measured only up to the widest a column shows.
func tableLines(cols []string, rows [][]string, width int) []string {
	const colMax = 32
	shown := func(v string) string {
		if len(v) > 4*colMax { // a column shows at most colMax cells
			v = v[:4*colMax]
		}
		return termsafe.Line(v)
	}
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = ansi.StringWidth(shown(c))
	}
	for _, r := range rows {
		for i, v := range r {
			if widths[i] < colMax {
				widths[i] = max(widths[i], ansi.StringWidth(shown(v)))
			}
		}
	}
	for i := range widths {
		widths[i] = min(widths[i], colMax)
	}
	cell := func(v string, w int) string {
		return padRight(ansi.Truncate(shown(v), w, "…"), w)
	}
	line := func(vals []string) string {
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = cell(v, widths[i])
		}
		return ansi.Truncate(strings.TrimRight(strings.Join(parts, " │ "), " "), width, "…")
	}
	rule := make([]string, len(cols))
	for i := range cols {
		rule[i] = strings.Repeat("─", widths[i])
	}
	out := []string{line(cols), ansi.Truncate(strings.Join(rule, "─┼─"), width, "…")}
	for _, r := range rows {
		out = append(out, line(r))
	}
	return out
}

func (s sqlLabScreen) Position() string { return "" } // no position to show
