package tui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
	"serverside/render"
	"serverside/search"
)

// Messages of the course search.
type (
	// openSearchMsg asks the root to open the course search.
	openSearchMsg struct{}
	// searchIndexMsg brings the index built for a course.
	searchIndexMsg struct {
		course *lessons.Course
		index  *search.Index
	}
	// searchResultsMsg brings the answer to one query; the screen drops it
	// when the field no longer holds that query.
	searchResultsMsg struct {
		query   string
		index   *search.Index
		results []search.Result
		// corrected is the query the results answer when the one typed
		// had a typo and found nothing ("" otherwise).
		corrected string
	}
)

// maxSearchResults is more lessons than a learner will scroll through.
const maxSearchResults = 100

// Lines above the results: the field, a summary line and a gap.
const searchHeaderLines = 3

// Lines each result takes: lesson and heading, snippet, gap.
const searchResultLines = 3

type courseSearchKeys struct {
	Up, Down, PageUp, PageDown, Open, Back key.Binding
}

func (k courseSearchKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Open, k.Back}
}

func (k courseSearchKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Open, k.Back, quitKey()}}
}

// Letters are typed into the field, so only keys that type nothing move.
func newCourseSearchKeys() courseSearchKeys {
	return courseSearchKeys{
		Up:       key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑/ctrl+p", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓/ctrl+n", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Open:     enterKey("open the lesson at the match"),
		Back:     backKey(),
	}
}

// courseSearchScreen searches every lesson of the course as the learner
// types: titles, text, headings and question prompts.
type courseSearchScreen struct {
	sh      *shared
	keys    courseSearchKeys
	input   textinput.Model
	query   string // the query results answer
	results []search.Result
	cursor  int
	offset  int // first result shown
	width   int
	height  int
	// building is true while this screen waits for an index.
	building bool
	// corrected is the query with a typo fixed that the results answer.
	corrected string
}

// findForgiving finds q, or when nothing has it, q with one typo per word
// corrected; fixed is the corrected query then.
func findForgiving(ix *search.Index, q string) (res []search.Result, fixed string) {
	res = ix.Find(q, maxSearchResults)
	if len(res) > 0 {
		return res, ""
	}
	if f, ok := ix.Suggest(q); ok {
		if res = ix.Find(f, maxSearchResults); len(res) > 0 {
			return res, f
		}
	}
	return nil, ""
}

func newCourseSearchScreen(sh *shared) courseSearchScreen {
	in := newTextInput()
	in.Prompt = "/ "
	in.Placeholder = "search every lesson"
	in.CharLimit = 200
	in.SetStyles(searchInputStyles(sh))
	// Focus now, on the value that is returned: a command can't change it.
	in.Focus()
	return courseSearchScreen{sh: sh, keys: newCourseSearchKeys(), input: in}
}

// searchInputStyles styles the field for the current theme. The cursor
// stays steady: the field always has the focus, so there is nothing a
// blink would point out.
func searchInputStyles(sh *shared) textinput.Styles {
	st := textinput.DefaultStyles(sh.theme != render.Light)
	st.Focused.Prompt = sh.styles.Cursor
	st.Focused.Placeholder = sh.styles.Subtle
	st.Focused.Text = sh.styles.Lesson
	st.Cursor.Color = sh.styles.Accent
	st.Cursor.Blink = false
	return st
}

// openSearch opens the course search on top of the stack, building the
// index first when the course has none yet (or has been reloaded since).
func (m Model) openSearch() (Model, tea.Cmd) {
	s := newCourseSearchScreen(m.sh)
	cmd := s.buildIfNeeded() // marks s as building, so it goes on the stack after
	m, _ = m.push(s)
	return m, cmd
}

// buildIfNeeded starts building the index when shared has none for the
// current course and no build is under way.
func (s *courseSearchScreen) buildIfNeeded() tea.Cmd {
	if s.indexReady() || s.building {
		return nil
	}
	s.building = true
	c := s.sh.course
	return func() tea.Msg { return searchIndexMsg{course: c, index: search.Build(c)} }
}

// indexReady reports whether shared holds an index of the current course.
func (s courseSearchScreen) indexReady() bool {
	return s.sh.index != nil && s.sh.index.Course() == s.sh.course
}

// find asks for the results of the query in the field; without an index
// they follow the build.
func (s *courseSearchScreen) find() tea.Cmd {
	if !s.indexReady() {
		return s.buildIfNeeded()
	}
	q, ix := s.input.Value(), s.sh.index
	return func() tea.Msg {
		res, fixed := findForgiving(ix, q)
		return searchResultsMsg{query: q, index: ix, results: res, corrected: fixed}
	}
}

func (s courseSearchScreen) Title() string    { return "Search" }
func (s courseSearchScreen) Keys() helpKeyMap { return s.keys }

// Typing is always true: every printable key, q and ? too, is part of the
// query.
func (s courseSearchScreen) Typing() bool { return true }

// Position is the selected result for the status line.
func (s courseSearchScreen) Position() string {
	if len(s.results) == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d ", s.cursor+1, len(s.results))
}

func (s courseSearchScreen) SetSize(w, h int) screen {
	s.width, s.height = w, h
	s.input.SetWidth(max(10, w-4))
	s.clampOffset()
	return s
}

// shown is how many results fit.
func (s courseSearchScreen) shown() int {
	return max(1, (s.height-searchHeaderLines)/searchResultLines)
}

func (s *courseSearchScreen) clampOffset() {
	n := s.shown()
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor >= s.offset+n {
		s.offset = s.cursor - n + 1
	}
	s.offset = max(0, min(s.offset, len(s.results)-n))
}

func (s *courseSearchScreen) move(by int) {
	if len(s.results) == 0 {
		return
	}
	s.cursor = max(0, min(len(s.results)-1, s.cursor+by))
	s.clampOffset()
}

func (s courseSearchScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case searchIndexMsg:
		if !s.building {
			return s, nil
		}
		s.building = false
		if msg.course != s.sh.course {
			// Built for a course since reloaded: build again.
			cmd := s.buildIfNeeded()
			return s, cmd
		}
		// Kept in shared so the next search starts at once. Screens
		// update on the UI goroutine only, so this write is not shared
		// with any command.
		s.sh.index = msg.index
		if s.input.Value() != "" {
			cmd := s.find()
			return s, cmd
		}
		return s, nil
	case searchResultsMsg:
		if msg.query != s.input.Value() || msg.index != s.sh.index {
			return s, nil // stale: the learner typed on
		}
		s.query, s.results, s.corrected = msg.query, msg.results, msg.corrected
		s.cursor, s.offset = 0, 0
		return s, nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.keys.Back):
			return s, s.sh.ask(backMsg{})
		case key.Matches(msg, s.keys.Open):
			return s, s.open()
		case key.Matches(msg, s.keys.Up):
			s.move(-1)
			return s, nil
		case key.Matches(msg, s.keys.Down):
			s.move(1)
			return s, nil
		case key.Matches(msg, s.keys.PageUp):
			s.move(-s.shown())
			return s, nil
		case key.Matches(msg, s.keys.PageDown):
			s.move(s.shown())
			return s, nil
		}
		return s.edit(msg)
	case tea.PasteMsg:
		return s.edit(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			s.move(-1)
		case tea.MouseWheelDown:
			s.move(1)
		}
	case tea.MouseClickMsg:
		if msg.Button != tea.MouseLeft || msg.Y < searchHeaderLines {
			return s, nil
		}
		row := msg.Y - searchHeaderLines
		if row%searchResultLines == searchResultLines-1 {
			return s, nil // the gap between results
		}
		if i := s.offset + row/searchResultLines; i < len(s.results) && row/searchResultLines < s.shown() {
			if i == s.cursor {
				return s, s.open()
			}
			s.cursor = i
		}
	}
	return s, nil
}

// edit passes a key or a paste to the field and searches again when the
// query changed.
func (s courseSearchScreen) edit(msg tea.Msg) (screen, tea.Cmd) {
	before := s.input.Value()
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	q := s.input.Value()
	if q == before {
		return s, cmd
	}
	if strings.TrimSpace(q) == "" {
		s.query, s.results, s.cursor, s.offset = q, nil, 0, 0
		return s, cmd
	}
	// s.find marks a build under way: call it before s is returned.
	find := s.find()
	return s, tea.Batch(cmd, find)
}

// open opens the selected lesson with an in-lesson search for the text
// that stands at the match, so the reader lands on it.
func (s courseSearchScreen) open() tea.Cmd {
	results, cursor := s.results, s.cursor
	if q := s.input.Value(); q != s.query && s.sh.index != nil && strings.TrimSpace(q) != "" {
		// Enter came before the results for the last keys: what is on
		// screen answers an older query. Finding takes microseconds, so
		// answer the query as typed now rather than open a stale match.
		results, _ = findForgiving(s.sh.index, q)
		cursor = 0
	}
	if cursor >= len(results) {
		return nil
	}
	r := results[cursor]
	return s.sh.ask(openLessonMsg{id: r.LessonID, scroll: -1, query: r.Phrase})
}

func (s courseSearchScreen) View() string {
	w := s.width
	// The theme may have changed since the field was made.
	in := s.input
	in.SetStyles(searchInputStyles(s.sh))
	var b strings.Builder
	b.WriteString(" " + in.View() + "\n")
	b.WriteString(" " + ansi.Truncate(s.summary(), max(0, w-2), "…") + "\n\n")
	for i := s.offset; i < len(s.results) && i < s.offset+s.shown(); i++ {
		b.WriteString(s.result(i, w))
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// summary says what the list below holds, or why it is empty.
func (s courseSearchScreen) summary() string {
	st := s.sh.styles
	q := s.input.Value()
	switch {
	case strings.TrimSpace(q) == "":
		return st.Subtle.Render("Type to search every lesson: titles, text and questions. Every word must appear.")
	case !s.indexReady():
		return st.Subtle.Render("Indexing the course…")
	case q != s.query:
		return st.Subtle.Render("Searching…")
	case s.corrected != "" && len(s.results) > 0:
		return st.Subtle.Render(fmt.Sprintf("Nothing has %q; %s for %q", strings.TrimSpace(q), count(len(s.results), "lesson", "lessons"), s.corrected))
	case len(s.results) == 0:
		return st.Subtle.Render(fmt.Sprintf("No lesson has every word of %q.", strings.TrimSpace(q)))
	case len(s.results) == 1:
		return st.Subtle.Render("1 lesson")
	case len(s.results) == maxSearchResults:
		return st.Subtle.Render(fmt.Sprintf("The %d best lessons, best first", len(s.results)))
	}
	return st.Subtle.Render(count(len(s.results), "lesson", "lessons") + ", best first")
}

// result draws one result: the lesson and where in it, then the snippet
// with the query's words highlighted, then a gap.
func (s courseSearchScreen) result(i, w int) string {
	st := s.sh.styles
	r := s.results[i]
	sel := i == s.cursor
	cursor, ts := "  ", st.Lesson
	if sel {
		cursor, ts = st.Cursor.Render("▸ "), st.Selected
	}
	var where []string
	// A match in a heading shows the heading as its snippet already.
	if r.Heading != "" && r.Heading != r.LessonTitle && r.Place != search.InHeading {
		where = append(where, r.Heading)
	}
	if r.Place == search.InQuestion {
		where = append(where, "in a question")
	}
	if r.Places > 1 {
		where = append(where, fmt.Sprintf("%d matches", r.Places))
	}
	room := max(1, w-3)
	title := ansi.Truncate(r.LessonTitle, room, "…")
	line := " " + cursor + ts.Render(title)
	if len(where) > 0 && room-ansi.StringWidth(title) > 4 {
		line += st.Subtle.Render(ansi.Truncate(" · "+strings.Join(where, " · "), room-ansi.StringWidth(title), "…"))
	}
	return line + "\n    " + s.snippet(r, max(1, w-5)) + "\n"
}

// snippet draws a result's snippet in width cells, the match in view and
// every query word highlighted.
func (s courseSearchScreen) snippet(r search.Result, width int) string {
	st := s.sh.styles
	text, marks := clipSnippet(r.Snippet, r.Marks, r.Match, width)
	var b strings.Builder
	at := 0
	for _, m := range marks {
		b.WriteString(st.Subtle.Render(text[at:m.Start]))
		b.WriteString(st.Match.Render(text[m.Start:m.End]))
		at = m.End
	}
	b.WriteString(st.Subtle.Render(text[at:]))
	return b.String()
}

// clipSnippet cuts text to width cells so that match stays in view, about
// a third of the way in, marking cuts with "…"; marks move with the text
// and are cut to what remains.
func clipSnippet(text string, marks []search.Span, match search.Span, width int) (string, []search.Span) {
	if ansi.StringWidth(text) <= width {
		return text, marks
	}
	const dots = "…"
	if width < 4 {
		// No room for context: as much of the match as fits.
		end, used := match.Start, 0
		for end < len(text) {
			r, n := utf8.DecodeRuneInString(text[end:])
			if used+ansi.StringWidth(string(r)) > width {
				break
			}
			end += n
			used += ansi.StringWidth(string(r))
		}
		return text[match.Start:end], clipSpans(marks, match.Start, end, -match.Start)
	}
	// Walk back from the match to leave about a third of the width before it.
	start, lead := match.Start, 0
	for start > 0 && lead < width/3 {
		r, n := utf8.DecodeLastRuneInString(text[:start])
		start -= n
		lead += ansi.StringWidth(string(r))
	}
	// Start at a word when one starts before the match.
	if start > 0 && text[start-1] != ' ' {
		if sp := strings.IndexByte(text[start:match.Start], ' '); sp >= 0 {
			start += sp + 1
		}
	}
	prefix := ""
	room := width
	if start > 0 {
		prefix = dots
		room--
	}
	end, used := start, 0
	for end < len(text) {
		r, n := utf8.DecodeRuneInString(text[end:])
		cw := ansi.StringWidth(string(r))
		// Keep a cell for the closing dots unless this is the last rune.
		if used+cw > room || end+n < len(text) && used+cw > room-1 {
			break
		}
		end += n
		used += cw
	}
	suffix := ""
	if end < len(text) {
		suffix = dots
		// End after a word when one ends after the match.
		if text[end] != ' ' && match.End < end {
			if sp := strings.LastIndexByte(text[match.End:end], ' '); sp > 0 {
				end = match.End + sp
			}
		}
	}
	return prefix + text[start:end] + suffix, clipSpans(marks, start, end, len(prefix)-start)
}

// clipSpans keeps the parts of spans within [start, end), moved by shift.
func clipSpans(spans []search.Span, start, end, shift int) []search.Span {
	var out []search.Span
	for _, m := range spans {
		a, z := max(m.Start, start), min(m.End, end)
		if a < z {
			out = append(out, search.Span{Start: a + shift, End: z + shift})
		}
	}
	return out
}

func (c courseSearchScreen) init() tea.Cmd { return nil } // nothing to start: its data came with it
func (c courseSearchScreen) onQuit() tea.Cmd { return nil } // nothing to save or close
func (c courseSearchScreen) refresh() tea.Cmd { return nil } // nothing depends on the theme beyond View
