package tui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// runSearch finds every case-insensitive occurrence of q in the lesson's
// text as shown, and redraws the content with the matches highlighted.
func (s *lessonScreen) runSearch(q string) {
	s.search.query = q
	s.search.matches = nil
	if len(s.lines) == 0 {
		return
	}
	if q == "" {
		s.search.current = 0
		s.vp.SetContent(strings.Join(s.lines, "\n"))
		return
	}
	// Spaces in the query match the single space a wrap leaves.
	needle := []rune(strings.Join(strings.Fields(strings.ToLower(q)), " "))
	if len(needle) == 0 {
		needle = []rune(strings.ToLower(q))
	}
	st := s.sh.styles
	out := make([]string, len(s.lines))
	copy(out, s.lines)
	if len(s.plain) != len(s.lines) {
		s.plain = make([][]rune, len(s.lines))
		for i, line := range s.lines {
			s.plain[i] = []rune(strings.ToLower(ansi.Strip(line)))
		}
	}
	for i, line := range s.lines {
		plain := s.plain[i]
		var ranges []lipgloss.Range
		for start := 0; start+len(needle) <= len(plain); {
			if runesEqual(plain[start:start+len(needle)], needle) {
				// Columns: the width of what stands before the match.
				c0 := ansi.StringWidth(string(plain[:start]))
				c1 := c0 + ansi.StringWidth(string(plain[start:start+len(needle)]))
				s.search.matches = append(s.search.matches, match{line: i, start: c0, end: c1})
				ranges = append(ranges, lipgloss.NewRange(c0, c1, st.Match))
				start += len(needle)
				continue
			}
			start++
		}
		if len(ranges) > 0 {
			out[i] = lipgloss.StyleRanges(line, ranges...)
		}
	}
	// A phrase wrapped across two lines: its first words end one line,
	// the rest start the next.
	if words := strings.Fields(string(needle)); len(words) > 1 {
		for i := 0; i+1 < len(s.lines); i++ {
			first := strings.TrimRight(string(s.plain[i]), " ")
			next := string(s.plain[i+1])
			lead := len(next) - len(strings.TrimLeft(next, " "))
			next = next[lead:]
			for k := 1; k < len(words); k++ {
				head, rest := strings.Join(words[:k], " "), strings.Join(words[k:], " ")
				if !strings.HasSuffix(first, head) || !strings.HasPrefix(next, rest) {
					continue
				}
				c1 := ansi.StringWidth(first)
				c0 := c1 - ansi.StringWidth(head)
				t0 := lead // spaces: one byte, one cell each
				s.search.matches = append(s.search.matches, match{line: i, start: c0, end: c1, tail: ansi.StringWidth(rest)})
				out[i] = lipgloss.StyleRanges(out[i], lipgloss.NewRange(c0, c1, st.Match))
				out[i+1] = lipgloss.StyleRanges(out[i+1], lipgloss.NewRange(t0, t0+ansi.StringWidth(rest), st.Match))
				break
			}
		}
		slices.SortStableFunc(s.search.matches, func(a, b match) int { return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.start, b.start)) })
	}
	if s.search.current >= len(s.search.matches) {
		s.search.current = 0
	}
	s.highlightCurrent(out)
}

// highlightCurrent marks the current match more strongly than the rest.
func (s *lessonScreen) highlightCurrent(out []string) {
	if len(s.search.matches) > 0 {
		m := s.search.matches[s.search.current]
		var ranges []lipgloss.Range
		for _, other := range s.search.matches {
			if other.line != m.line {
				continue
			}
			style := s.sh.styles.Match
			if other == m {
				style = s.sh.styles.CurrentMatch
			}
			ranges = append(ranges, lipgloss.NewRange(other.start, other.end, style))
		}
		out[m.line] = lipgloss.StyleRanges(s.lines[m.line], ranges...)
	}
	yoff := s.vp.YOffset()
	s.vp.SetContent(strings.Join(out, "\n"))
	s.vp.SetYOffset(yoff)
}

func runesEqual(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// gotoMatch makes match i (wrapping around) current and scrolls it into
// view, a third of the way down so its context shows.
func (s *lessonScreen) gotoMatch(i int) {
	n := len(s.search.matches)
	if n == 0 {
		return
	}
	s.search.current = ((i % n) + n) % n
	s.runSearch(s.search.query)
	line := s.search.matches[s.search.current].line
	if line < s.vp.YOffset() || line >= s.vp.YOffset()+s.height {
		s.vp.SetYOffset(max(0, line-s.height/3))
	}
}

func (s lessonScreen) updateSearchInput(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	switch msg.String() {
	case "enter":
		s.search.typing = false
		s.search.input.Blur()
		if len(s.search.matches) == 0 && s.search.query != "" {
			q := s.search.query
			return s, func() tea.Msg { return statusMsg{fmt.Sprintf("%q is not in this lesson", q)} }
		}
		return s, nil
	case "esc":
		s.search.typing = false
		s.search.input.Blur()
		s.runSearch("")
		return s, nil
	}
	var cmd tea.Cmd
	s.search.input, cmd = s.search.input.Update(msg)
	if q := s.search.input.Value(); q != s.search.query {
		s.search.current = 0
		s.runSearch(q)
		// Incremental: show the first match at or after where the reader is.
		for i, m := range s.search.matches {
			if m.line >= s.vp.YOffset() {
				s.gotoMatch(i)
				return s, cmd
			}
		}
		s.gotoMatch(0)
	}
	return s, cmd
}

// picker is a small list over the lesson: its contents or its links.
type picker struct {
	title  string
	items  []pickItem
	cursor int
	keys   pickerKeys
}

type pickItem struct {
	label  string
	indent int
	line   int    // content line to jump to, for contents
	lesson string // lesson id to open, for links
}

type pickerKeys struct{ Up, Down, Choose, Close key.Binding }

func (k pickerKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Up, k.Down, k.Choose, k.Close} }
func (k pickerKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newPickerKeys(choose string) pickerKeys {
	return pickerKeys{Up: upKey(), Down: downKey(), Choose: enterKey(choose), Close: key.NewBinding(key.WithKeys("esc", "t", "o"), key.WithHelp("esc", "close"))}
}

// contentsPicker lists the lesson's headings with the line each stands on.
func (s lessonScreen) contentsPicker() *picker {
	p := &picker{title: "Contents", keys: newPickerKeys("go to section")}
	from := 0
	for _, h := range s.lesson.Headings {
		line := -1
		for i := from; i < len(s.lines); i++ {
			if strings.Contains(ansi.Strip(s.lines[i]), h.Text) {
				line = i
				break
			}
		}
		if line < 0 {
			continue
		}
		from = line + 1
		p.items = append(p.items, pickItem{label: h.Text, indent: max(0, h.Level-1) * 2, line: line})
	}
	// Start on the section being read.
	for i, it := range p.items {
		if it.line <= s.vp.YOffset() {
			p.cursor = i
		}
	}
	if len(p.items) == 0 {
		p.items = []pickItem{{label: s.lesson.Title, line: 0}}
	}
	return p
}

// linksPicker lists the other lessons this one links to.
func (s lessonScreen) linksPicker() *picker {
	p := &picker{title: "Linked lessons", keys: newPickerKeys("open lesson")}
	seen := map[string]bool{}
	for _, k := range s.lesson.Links {
		l := s.sh.course.LessonAt(k.Path)
		if l == nil || seen[l.ID] {
			continue
		}
		seen[l.ID] = true
		p.items = append(p.items, pickItem{label: l.Title, lesson: l.ID})
	}
	if len(p.items) == 0 {
		return nil
	}
	return p
}

func (s lessonScreen) updatePicker(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	p := s.picker
	switch {
	case key.Matches(msg, p.keys.Close):
		s.picker = nil
	case key.Matches(msg, p.keys.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, p.keys.Down):
		p.cursor = min(len(p.items)-1, p.cursor+1)
	case key.Matches(msg, p.keys.Choose):
		it := p.items[p.cursor]
		s.picker = nil
		if it.lesson != "" {
			id := it.lesson
			return s, tea.Batch(s.saveScroll(), s.sh.ask(openLessonMsg{id: id, scroll: -1, peek: true}))
		}
		s.vp.SetYOffset(it.line)
	}
	return s, nil
}

func (p *picker) view(st Styles, width, height int) string {
	var b strings.Builder
	b.WriteString("\n  " + st.Title.Render(p.title) + "\n\n")
	room := max(1, height-4)
	first := max(0, min(p.cursor-room/2, len(p.items)-room))
	for i := first; i < len(p.items) && i < first+room; i++ {
		it := p.items[i]
		label := ansi.Truncate(strings.Repeat(" ", it.indent)+it.label, max(10, width-8), "…")
		if i == p.cursor {
			b.WriteString("  " + st.Cursor.Render("▸ ") + st.Selected.Render(label) + "\n")
		} else {
			b.WriteString("    " + st.Lesson.Render(label) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
