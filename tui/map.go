package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
	"serverside/progress"
)

// mapRow is one line of the course map: a module heading, a lesson or a
// broken lesson file.
type mapRow struct {
	module *lessons.Module
	lesson *lessons.Lesson
	broken *lessons.BrokenLesson
}

func (r mapRow) selectable() bool { return r.lesson != nil || r.broken != nil }

type mapKeys struct {
	Up, Down, Top, Bottom, Open, Continue, Review, Quit, Help key.Binding
	Stats, Users, Cram, Reset, ResetAll, Search, Class        key.Binding
	Yes, No                                                   key.Binding
}

func (k mapKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Open, k.Continue, k.Review, k.Search, k.Class, k.Quit, k.Help}
}

func (k mapKeys) FullHelp() [][]key.Binding {
	// Three columns, so everything fits in 80 columns.
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom, k.Quit}, {k.Open, k.Continue, k.Review, k.Cram, k.Search}, {k.Stats, k.Class, k.Users, k.Reset, k.ResetAll, k.Help}}
}

func newMapKeys() mapKeys {
	return mapKeys{
		Up: upKey(), Down: downKey(), Top: topKey(), Bottom: bottomKey(),
		// ctrl+j too: an Enter typed as the tutor starts, before the
		// terminal is in raw mode, has been turned into a line feed by the
		// terminal's line discipline (ICRNL), which reads as ctrl+j.
		Open:     key.NewBinding(key.WithKeys("enter", "ctrl+j"), key.WithHelp("enter", "open")),
		Continue: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "continue where you left off")),
		Review:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "review")),
		Cram:     key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "cram this module now")),
		Stats:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "stats")),
		Users:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "profiles")),
		Class:    key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "the class (instructor)")),
		Reset:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "reset this lesson")),
		ResetAll: key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "reset everything")),
		Search:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search the course")),
		Yes:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, reset")),
		No:       key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),
		Quit:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Help:     helpKey(),
	}
}

// mapScreen is the course map: modules and lessons with the learner's
// status, and overall progress.
type mapScreen struct {
	sh     *shared
	keys   mapKeys
	rows   []mapRow
	cursor int
	offset int // first row shown
	width  int
	height int
	// confirm, when set, is a question waiting for y or n.
	confirm *confirmation
}

// confirmation is a destructive action waiting for the learner's yes.
type confirmation struct {
	question string // what will happen, as a question
	detail   string // how to undo it
	do       tea.Cmd
}

func newMapScreen(sh *shared) mapScreen {
	m := mapScreen{sh: sh, keys: newMapKeys()}
	// A classroom's learner is their key: there are no profiles to switch.
	m.keys.Users.SetEnabled(sh.profiles != nil)
	m.keys.Class.SetEnabled(sh.class != nil)
	m.rows = buildRows(sh.course)
	m.cursor = m.nextSelectable(0, 1)
	return m
}

func buildRows(c *lessons.Course) []mapRow {
	var rows []mapRow
	for _, mod := range c.Modules {
		rows = append(rows, mapRow{module: mod})
		for _, l := range mod.Lessons {
			rows = append(rows, mapRow{lesson: l})
		}
		for i := range c.Broken {
			if c.Broken[i].Module == mod.ID {
				rows = append(rows, mapRow{broken: &c.Broken[i]})
			}
		}
	}
	return rows
}

func (m mapScreen) nextSelectable(from, dir int) int {
	for i := from; i >= 0 && i < len(m.rows); i += dir {
		if m.rows[i].selectable() {
			return i
		}
	}
	return -1
}

func (m mapScreen) Title() string { return m.sh.course.Title }
func (m mapScreen) Keys() helpKeyMap {
	if m.confirm != nil {
		// A question waiting for its answer takes only its own keys.
		return quizHelp{short: []key.Binding{m.keys.Yes, m.keys.No}, full: [][]key.Binding{{m.keys.Yes, m.keys.No, quitKey()}}}
	}
	if m.firstRun() {
		// Nothing to continue yet: say what c does now, as the welcome does.
		k := m.keys
		k.Continue.SetHelp("c", "start the first lesson")
		return k
	}
	return m.keys
}
func (m mapScreen) SetSize(w, h int) screen { m.width, m.height = w, h; m.clampOffset(); return m }

// headerLines is how many lines the title and overall progress take.
const mapHeaderLines = 4

func (m *mapScreen) listHeight() int {
	return max(1, m.height-m.aboveList()-m.detailHeight())
}

// aboveList is how many lines View writes above the list: the header,
// then the first-run welcome and a question waiting for y or n. Clicks are
// mapped to rows from it.
func (m *mapScreen) aboveList() int {
	n := mapHeaderLines
	if m.firstRun() {
		_, wh := m.cachedWelcome(m.width)
		n += wh
	}
	if m.confirm != nil {
		n += strings.Count(m.confirmView(m.width), "\n") // it ends in a newline
	}
	return n
}

// confirmView is the question waiting for y or n, indented alike.
func (m mapScreen) confirmView(w int) string {
	st := &m.sh.styles
	para := func(s string) string { return " " + wrapIndent(s, w-2, " ") + "\n" }
	return para(st.Bad.Render(m.confirm.question)) + para(m.confirm.detail) + para(st.Subtle.Render("y: yes, reset · n or esc: cancel")) + "\n"
}

// firstRun is true for a profile that has not opened a lesson yet.
func (m mapScreen) firstRun() bool {
	return m.sh.loaded && len(m.sh.states) == 0 && m.sh.last == ""
}

// welcome says, once, what the tutor is, how a lesson works and the keys
// that matter; on a short screen, only the keys.
func (m mapScreen) welcome(w int) string {
	st := &m.sh.styles
	keys := st.Lesson.Render("c") + st.Subtle.Render(" starts the first lesson · ") + st.Lesson.Render("enter") +
		st.Subtle.Render(" opens the selected one · ") + st.Lesson.Render("?") + st.Subtle.Render(" shows every key")
	para := func(s string) string { return " " + wrapIndent(s, min(w, mapRowWidth)-2, " ") + "\n" }
	if m.height < 20 {
		return "" // the line under the progress bar says it (see View)
	}
	return para(st.Module.Render("Welcome to serverside: backend development, learned in your terminal.")) +
		para(st.Subtle.Render("Each lesson is text to read with questions on cards where they stand, and in some a lab that runs for real. Answer on the cards; what you answer comes back for review when it is due.")) +
		para(keys) + "\n"
}

// mapRowWidth caps a row's width, so on a wide terminal the metadata
// stands near the titles instead of across the screen.
const mapRowWidth = 100

// detailHeight is the lines under the list that describe the selected
// lesson: its summary, on screens tall enough to spare them.
func (m *mapScreen) detailHeight() int {
	if m.height < 16 {
		return 0
	}
	return 3
}

// detail describes the selected lesson: its summary, its lab, its
// reviews due.
func (m mapScreen) detail(w int) string {
	st := &m.sh.styles
	var text string
	switch r := m.rowAt(m.cursor); {
	case r.lesson != nil:
		text = r.lesson.Summary
		if text == "" {
			text = r.lesson.Title
		}
		if n := len(r.lesson.Labs); n > 0 {
			text += " · " + count(n, "lab", "labs") + " to run"
		}
		if d := m.sh.dueBy[r.lesson.ID]; d > 0 {
			text += " · " + count(d, "review", "reviews") + " due"
		}
	case r.broken != nil:
		text = "This file has problems: press enter to see them."
	}
	lines := strings.Split(lipgloss.NewStyle().Width(max(10, w-2)).Render(text), "\n")
	if len(lines) > 2 {
		lines = lines[:2]
		lines[1] = ansi.Truncate(lines[1], max(10, w-3), "") + "…"
	}
	out := []string{st.Subtle.Render(" " + strings.Repeat("─", max(1, w-2)))}
	for _, l := range lines {
		out = append(out, " "+st.Subtle.Render(l))
	}
	return strings.Join(out, "\n")
}

func (m mapScreen) rowAt(i int) mapRow {
	if i < 0 || i >= len(m.rows) {
		return mapRow{}
	}
	return m.rows[i]
}

func (m *mapScreen) clampOffset() {
	h := m.listHeight()
	if m.cursor < 0 {
		return
	}
	// Keep the module heading of the first lesson in view when possible.
	if m.cursor < m.offset+1 {
		m.offset = max(0, m.cursor-1)
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = max(0, min(m.offset, len(m.rows)-h))
}

func (m mapScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if m.confirm != nil {
			switch {
			case key.Matches(msg, m.keys.Yes):
				do := m.confirm.do
				m.confirm = nil
				return m, do
			case key.Matches(msg, m.keys.No):
				m.confirm = nil
			}
			return m, nil
		}
		switch {
		case key.Matches(msg, m.keys.Quit):
			return m, m.sh.ask(quitMsg{})
		case key.Matches(msg, m.keys.Stats):
			return m, m.sh.ask(openStatsMsg{})
		case key.Matches(msg, m.keys.Users):
			return m, m.sh.ask(openUsersMsg{})
		case key.Matches(msg, m.keys.Class):
			return m, m.sh.ask(openClassMsg{})
		case key.Matches(msg, m.keys.Cram):
			if l := m.selected(); l != nil {
				mod := l.Module
				return m, m.sh.ask(openCramMsg{module: mod})
			}
		case key.Matches(msg, m.keys.Reset):
			if l := m.selected(); l != nil {
				store, sc, id := m.sh.progress, m.sh.store, l.ID
				m.confirm = &confirmation{
					question: fmt.Sprintf("Reset your progress in %q?", l.Title),
					detail:   "Your answers are kept aside: 'serverside progress undo-reset' brings them back.",
					do: func() tea.Msg {
						ctx, cancel := sc.write()
						defer cancel()
						if err := store.ResetLesson(ctx, id); err != nil {
							return errMsg{fmt.Errorf("resetting: %w", err)}
						}
						return resetDoneMsg{"Progress in this lesson was reset."}
					},
				}
			}
		case key.Matches(msg, m.keys.ResetAll):
			store, sc := m.sh.progress, m.sh.store
			m.confirm = &confirmation{
				question: fmt.Sprintf("Reset ALL progress of %s?", m.sh.user),
				detail:   "Your answers are kept aside: 'serverside progress undo-reset' brings them back.",
				do: func() tea.Msg {
					ctx, cancel := sc.write()
					defer cancel()
					if err := store.ResetAll(ctx); err != nil {
						return errMsg{fmt.Errorf("resetting: %w", err)}
					}
					return resetDoneMsg{"All progress was reset."}
				},
			}
		case key.Matches(msg, m.keys.Search):
			return m, m.sh.ask(openSearchMsg{})
		case key.Matches(msg, m.keys.Up):
			if i := m.nextSelectable(m.cursor-1, -1); i >= 0 {
				m.cursor = i
			}
		case key.Matches(msg, m.keys.Down):
			if i := m.nextSelectable(m.cursor+1, 1); i >= 0 {
				m.cursor = i
			}
		case key.Matches(msg, m.keys.Top):
			m.cursor = m.nextSelectable(0, 1)
		case key.Matches(msg, m.keys.Bottom):
			m.cursor = m.nextSelectable(len(m.rows)-1, -1)
		case key.Matches(msg, m.keys.Open):
			return m, m.open()
		case key.Matches(msg, m.keys.Continue):
			if m.sh.last != "" {
				id, at := m.sh.last, m.sh.lastAt
				return m, m.sh.ask(openLessonMsg{id: id, scroll: at})
			}
			// A new profile: c starts the first lesson.
			if all := m.sh.course.Lessons(); len(all) > 0 {
				return m, m.sh.ask(openLessonMsg{id: all[0].ID, scroll: -1})
			}
		case key.Matches(msg, m.keys.Review):
			return m, m.sh.ask(openReviewMsg{})
		}
		m.clampOffset()
	case tea.MouseWheelMsg:
		dir := 1
		if msg.Button == tea.MouseWheelUp {
			dir = -1
		}
		if i := m.nextSelectable(m.cursor+dir, dir); i >= 0 {
			m.cursor = i
		}
		m.clampOffset()
	case tea.MouseClickMsg:
		top := m.aboveList()
		row := msg.Y - top + m.offset
		if msg.Y >= top && msg.Y < top+m.listHeight() && row >= 0 && row < len(m.rows) && m.rows[row].selectable() {
			if m.cursor == row {
				return m, m.open()
			}
			m.cursor = row
		}
	}
	return m, nil
}

// withCourse rebuilds the map for a reloaded course, keeping the cursor on
// the same lesson when it is still there.
func (m mapScreen) withCourse() mapScreen {
	var id string
	if l := m.selected(); l != nil {
		id = l.ID
	}
	m.rows = buildRows(m.sh.course)
	m.cursor = m.nextSelectable(0, 1)
	for i, r := range m.rows {
		if r.lesson != nil && r.lesson.ID == id {
			m.cursor = i
		}
	}
	m.clampOffset()
	return m
}

// selected is the lesson under the cursor, if any.
func (m mapScreen) selected() *lessons.Lesson {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return nil
	}
	return m.rows[m.cursor].lesson
}

func (m mapScreen) open() tea.Cmd {
	if m.cursor < 0 {
		return nil
	}
	r := m.rows[m.cursor]
	if r.broken != nil {
		return m.sh.ask(openBrokenMsg{broken: r.broken})
	}
	id := r.lesson.ID
	return m.sh.ask(openLessonMsg{id: id, scroll: -1})
}

func (m mapScreen) View() string {
	st := &m.sh.styles
	total, done := 0, 0
	for _, l := range m.sh.course.Lessons() {
		total++
		if m.sh.states[l.ID].Status == progress.Done {
			done++
		}
	}
	w := m.width
	var b strings.Builder
	b.WriteString(m.cachedHead(w, done, total))
	var extra []string
	if m.firstRun() && m.height < 20 {
		// On a short screen the welcome is one line, so the lessons keep
		// the room.
		extra = append(extra, st.Subtle.Render("New here? ")+st.Lesson.Render("c")+st.Subtle.Render(" starts the first lesson."))
	}
	if l := m.sh.course.Lesson(m.sh.last); l != nil {
		extra = append(extra, st.Subtle.Render("c: continue ")+st.Lesson.Render(l.Title))
	}
	if m.sh.due > 0 {
		extra = append(extra, st.Partial.Render("r: "+count(m.sh.due, "review", "reviews")+" due"))
	}
	if len(m.sh.course.Broken) > 0 {
		b.WriteString(" " + st.Broken.Render(count(len(m.sh.course.Broken), "lesson file", "lesson files")+" could not be read: select to see why") + "\n\n")
	} else {
		b.WriteString(" " + ansi.Truncate(strings.Join(extra, st.Subtle.Render("  ·  ")), w-2, "…") + "\n\n")
	}
	if m.firstRun() {
		welcome, _ := m.cachedWelcome(w)
		b.WriteString(welcome)
	}
	if m.confirm != nil {
		b.WriteString(m.confirmView(w))
	}
	h := m.listHeight()
	rw := min(w, mapRowWidth)
	shown := 0
	for i := m.offset; i < len(m.rows) && i < m.offset+h; i++ {
		b.WriteString(m.cachedRow(i, rw))
		b.WriteByte('\n')
		shown++
	}
	if m.detailHeight() > 0 {
		b.WriteString(strings.Repeat("\n", h-shown) + m.cachedDetail(rw))
	}
	return strings.TrimRight(b.String(), "\n")
}

// head is the map's title and progress bar, with done of total lessons
// done.
func (m mapScreen) head(w, done, total int) string {
	st := &m.sh.styles
	head := st.Title.Render(m.sh.course.Title)
	pct := 0
	if total > 0 {
		pct = done * 100 / total
	}
	label := fmt.Sprintf(" %d of %s done · %d%%", done, count(total, "lesson", "lessons"), pct)
	barW := max(5, min(40, w-lipgloss.Width(label)-4))
	if !m.sh.loaded {
		// The learner's progress is still on its way (the store opens
		// beside the first frame): an empty bar and a count of none done
		// would be wrong for a learner who has done some, so the line
		// holds its place and says nothing it does not know.
		label = " " + count(total, "lesson", "lessons")
		return " " + head + "\n " + st.Subtle.Render(strings.Repeat("·", barW)+label) + "\n"
	}
	progressLine := st.bar(done, total, barW) + st.Subtle.Render(label)
	return " " + head + "\n " + progressLine + "\n"
}

func (m mapScreen) row(i, w int) string {
	st := &m.sh.styles
	r := m.rows[i]
	sel := i == m.cursor
	cursor := "  "
	if sel {
		cursor = st.Cursor.Render("▸ ")
	}
	switch {
	case r.module != nil:
		d, t := 0, len(r.module.Lessons)
		for _, l := range r.module.Lessons {
			if m.sh.states[l.ID].Status == progress.Done {
				d++
			}
		}
		count := st.Subtle.Render(fmt.Sprintf("  %d/%d", d, t))
		if !m.sh.loaded {
			count = "" // how many are done is not yet known, and a bare total reads as one
		}
		return " " + ansi.Truncate(st.Module.Render(r.module.Title), w-lipgloss.Width(count)-2, "…") + count
	case r.broken != nil:
		text := "⚠ " + r.broken.Path + " — broken"
		return " " + cursor + ansi.Truncate(st.Broken.Render(text), w-4, "…")
	default:
		l := r.lesson
		state := m.sh.states[l.ID]
		var mark string
		switch state.Status {
		case progress.Done:
			mark = st.Done.Render("●")
		case progress.InProgress:
			mark = st.Partial.Render("◐")
		default:
			mark = st.Todo.Render("○")
		}
		if !m.sh.loaded {
			mark = " " // not started is not yet known
		}
		title := l.Title
		ts := st.Lesson
		if sel {
			ts = st.Selected
		}
		meta := ""
		if l.Minutes > 0 {
			meta = fmt.Sprintf("%d min", l.Minutes)
		}
		if n := len(l.Questions); n > 0 {
			if meta != "" {
				meta += " · "
			}
			meta += count(n, "question", "questions")
		}
		if len(l.Labs) > 0 {
			meta += " · lab"
		}
		if d := m.sh.dueBy[l.ID]; d > 0 {
			meta += fmt.Sprintf(" · %d due", d)
		}
		meta = strings.TrimPrefix(meta, " · ")
		metaR := st.Subtle.Render(meta)
		room := w - 6 - lipgloss.Width(metaR) - 2
		if room < lipgloss.Width(title) {
			// The title comes first: the metadata gives way.
			metaR, room = "", w-6
		}
		t := ansi.Truncate(title, room, "…")
		pad := max(1, w-6-lipgloss.Width(t)-lipgloss.Width(metaR)-1)
		return " " + cursor + mark + " " + ts.Render(t) + strings.Repeat(" ", pad) + metaR
	}
}

func (m mapScreen) init() tea.Cmd    { return nil }   // nothing to start: its data came with it
func (m mapScreen) Typing() bool     { return false } // no text field
func (m mapScreen) onQuit() tea.Cmd  { return nil }   // nothing to save or close
func (m mapScreen) refresh() tea.Cmd { return nil }   // nothing depends on the theme beyond View
func (m mapScreen) Position() string { return "" }    // no position to show
