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
	"serverside/termsafe"
)

type sqlLabKeys struct {
	Run, Check, Session, Reset, Focus, Up, Down, PageUp, PageDown, Back, Help key.Binding
}

func (k sqlLabKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Run, k.Check, k.Session, k.Focus, k.Back, k.Help}
}

func (k sqlLabKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Run, k.Check, k.Session, k.Focus}, {k.Up, k.Down, k.PageUp, k.PageDown}, {k.Reset, k.Back, k.Help, quitKey()}}
}

func newSQLLabKeys() sqlLabKeys {
	return sqlLabKeys{
		Run:      key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "run")),
		Check:    key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "check the task")),
		Session:  key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "other session")),
		Reset:    key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "start over with fresh data")),
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
	inTx map[string]bool
	// table is result laid out for tableWidth, once per result and width:
	// measuring every cell on every frame froze the screen on big results.
	table      []string
	tableWidth int
	running    bool
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
	ed.Focus()
	return sqlLabScreen{sh: sh, key: labKey{l.ID, spec.ID}, spec: spec, keys: newSQLLabKeys(), editor: ed, editing: true,
		verdicts: map[string]labs.Verdict{}, misses: map[string]int{}, drafts: []string{""}, inTx: map[string]bool{}}
}

func (s sqlLabScreen) init() tea.Cmd {
	k := s.key
	return tea.Batch(loadLabTasks(s.sh, k), func() tea.Msg {
		lab, err := labs.OpenSQL(context.Background())
		return sqlLabStartedMsg{key: k, lab: lab, err: err}
	})
}

func closeSQLLab(lab *labs.SQLLab) tea.Cmd {
	return closeLab("database", lab != nil, func() error { return lab.Close() })
}

func (s sqlLabScreen) Title() string {
	return labTitle(s.spec.Title, s.spec.ID)
}

func (s sqlLabScreen) Keys() helpKeyMap { return s.keys }
func (s sqlLabScreen) Typing() bool     { return s.editing }
func (s sqlLabScreen) onQuit() tea.Cmd  { return closeSQLLab(s.lab) }

func (s sqlLabScreen) SetSize(w, h int) screen {
	s.width, s.height = w, h
	s.editor.SetWidth(max(20, min(w-4, maxTextWidth)))
	s.editor.SetHeight(max(3, min(8, h/4)))
	return s.layoutResult()
}

// layoutResult lays out the result table for the current width, if the
// result or the width changed.
func (s sqlLabScreen) layoutResult() sqlLabScreen {
	w := max(30, min(s.width-2, maxTextWidth))
	switch {
	case s.result == nil || len(s.result.Columns) == 0:
		s.table, s.tableWidth = nil, 0
	case s.table == nil || s.tableWidth != w:
		s.table, s.tableWidth = tableLines(s.result.Columns, s.result.Rows, w), w
	}
	return s
}

func (s sqlLabScreen) sessionName() string {
	if s.cur < len(s.sessions) {
		return s.sessions[s.cur].Name()
	}
	return "A"
}

func (s sqlLabScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
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
		var save tea.Cmd
		if !msg.v.Passed {
			s.misses[msg.v.TaskID]++
		} else if !s.saved[msg.v.TaskID] {
			if s.saved == nil {
				s.saved = map[string]bool{}
			}
			s.saved[msg.v.TaskID] = true
			save = saveLabTasks(s.sh, s.key, msg.v.TaskID)
		}
		if msg.v.Got != nil {
			s.result, s.resErr, s.resFrom, s.scroll = msg.v.Got, "", s.sessionName(), 0
			s.table = nil
			s = s.layoutResult()
		}
		return s, save
	case labTasksMsg:
		if msg.key == s.key {
			for id := range s.saved {
				msg.done[id] = true
			}
			s.saved = msg.done
		}
		return s, nil
	case sqlLabSessionMsg:
		if msg.lab != s.lab {
			return s, nil
		}
		if msg.err != nil {
			err := msg.err
			return s, func() tea.Msg { return errMsg{err} }
		}
		s.sessions = append(s.sessions, msg.session)
		s.drafts = append(s.drafts, "")
		return s.switchTo(len(s.sessions) - 1), nil
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

func (s sqlLabScreen) switchTo(i int) sqlLabScreen {
	for len(s.drafts) < len(s.sessions) {
		s.drafts = append(s.drafts, "")
	}
	s.drafts[s.cur] = s.editor.Value()
	s.cur = i
	s.editor.SetValue(s.drafts[i])
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
		if s.lab == nil || s.running || strings.TrimSpace(s.editor.Value()) == "" {
			return s, nil
		}
		s.running = true
		lab, sess, text := s.lab, s.sessions[s.cur], s.editor.Value()
		return s, func() tea.Msg {
			res, err := sess.Query(context.Background(), text)
			return sqlLabResultMsg{lab: lab, session: sess.Name(), res: res, err: err}
		}
	case key.Matches(msg, s.keys.Check):
		if s.lab == nil || s.running || len(s.spec.Tasks) == 0 {
			return s, nil
		}
		s.running = true
		lab, task, text := s.lab, s.spec.Tasks[s.task], s.editor.Value()
		return s, func() tea.Msg {
			v, err := lab.Check(context.Background(), task, text)
			return sqlLabVerdictMsg{lab: lab, v: v, err: err}
		}
	case key.Matches(msg, s.keys.Reset):
		if s.lab == nil || s.running {
			return s, nil
		}
		// A fresh database, the same tasks; what was typed stays.
		old := s.lab
		s.lab, s.sessions, s.cur, s.result, s.resErr, s.scroll, s.table = nil, nil, 0, nil, "", 0, nil
		s.drafts, s.inTx, s.verdicts = []string{s.editor.Value()}, map[string]bool{}, map[string]labs.Verdict{}
		return s, tea.Sequence(closeSQLLab(old), s.init(), func() tea.Msg { return statusMsg{"The shop database is back as it started."} })
	case key.Matches(msg, s.keys.Session):
		if s.lab == nil {
			return s, nil
		}
		if len(s.sessions) > 1 {
			return s.switchTo((s.cur + 1) % len(s.sessions)), nil
		}
		lab := s.lab
		return s, func() tea.Msg {
			sess, err := lab.NewSession(context.Background())
			return sqlLabSessionMsg{lab: lab, session: sess, err: err}
		}
	}
	if s.editing {
		var cmd tea.Cmd
		s.editor, cmd = s.editor.Update(msg)
		return s, cmd
	}
	switch {
	case key.Matches(msg, s.keys.Up):
		s.task = max(0, s.task-1)
	case key.Matches(msg, s.keys.Down):
		s.task = min(max(0, len(s.spec.Tasks)-1), s.task+1)
	case key.Matches(msg, s.keys.PageDown):
		s.scroll += max(1, s.height/3)
	case key.Matches(msg, s.keys.PageUp):
		s.scroll = max(0, s.scroll-max(1, s.height/3))
	}
	return s, nil
}

func (s sqlLabScreen) View() string { return fitWidth(s.view(), s.width) }

func (s sqlLabScreen) view() string {
	st := s.sh.styles
	w := max(30, min(s.width-2, maxTextWidth))
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
	b.WriteString(st.Subtle.Render(ansi.Truncate("Tables: "+strings.Join(labs.SeedTables(), ", ")+". Money is in cents.", w, "…")) + "\n\n")

	for i, t := range s.spec.Tasks {
		mark := st.Todo.Render("·")
		if v, ok := s.verdicts[t.ID]; (ok && v.Passed) || s.saved[t.ID] {
			mark = st.Done.Render("✓")
		}
		name := fmt.Sprintf("Task %d: %s", i+1, t.ID)
		if i == s.task {
			b.WriteString(" " + mark + " " + st.Selected.Render(name) + "\n")
		} else {
			b.WriteString(" " + mark + " " + st.Lesson.Render(name) + "\n")
		}
	}
	if len(s.spec.Tasks) > 0 {
		t := s.spec.Tasks[s.task]
		b.WriteString(st.Prompt.Render(wrapText(t.Prompt, w, "   ")) + "\n")
		if v, ok := s.verdicts[t.ID]; ok {
			style := st.Bad
			if v.Passed {
				style = st.Good
			}
			b.WriteString(style.Render(wrapText(v.Message, w, "   ")) + "\n")
			// One more hint after each wrong check.
			if !v.Passed {
				for _, h := range t.Hints[:min(len(t.Hints), s.misses[t.ID])] {
					b.WriteString(st.Hint.Render(wrapText("Hint: "+h, w, "   ")) + "\n")
				}
			}
			if v.Plan != "" && !v.Passed {
				b.WriteString(st.Subtle.Render(wrapText("Plan: "+strings.ReplaceAll(v.Plan, "\n", "; "), w, "   ")) + "\n")
			}
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
	b.WriteString("\n" + st.CardTitle.Render(label) + "\n" + s.editor.View() + "\n")
	used := strings.Count(b.String(), "\n")
	b.WriteString(s.resultView(w, max(3, s.height-used-1)))
	return b.String()
}

func (s sqlLabScreen) resultView(w, h int) string {
	st := s.sh.styles
	switch {
	case s.resErr != "":
		return st.Bad.Render(wrapText(fmt.Sprintf("Session %s: %s", s.resFrom, s.resErr), w, ""))
	case s.result == nil:
		return st.Subtle.Render("Write SQL above and press ctrl+s to run it; ctrl+g checks the task.")
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
	b.WriteString(st.Subtle.Render(summary) + "\n")
	if len(r.Columns) == 0 {
		return b.String()
	}
	lines := s.table
	if len(lines) < 2 { // not laid out yet (no size)
		lines = tableLines(r.Columns, r.Rows[:min(len(r.Rows), h)], w)
	}
	// The header and its rule stay; the rows scroll.
	b.WriteString(st.CardTitle.Render(lines[0]) + "\n" + st.Subtle.Render(lines[1]) + "\n")
	rows := lines[2:]
	room := max(1, h-3)
	start := min(s.scroll, max(0, len(rows)-room))
	for _, line := range rows[start:min(len(rows), start+room)] {
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
		v = ansi.Truncate(shown(v), w, "…")
		return v + strings.Repeat(" ", max(0, w-ansi.StringWidth(v)))
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
