package tui

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// runSearch finds every case-insensitive occurrence of q in the lesson's
// text as shown. It only finds: View styles the matches on the lines in
// view, so a key typed in a long lesson's search costs one pass over its
// plain text, not a restyle of every matching line.
func (s *lessonScreen) runSearch(q string) {
	s.search.query = q
	s.search.matches = nil
	if len(s.lines) == 0 {
		return
	}
	if q == "" {
		s.search.current = 0
		return
	}
	// Spaces in the query match the single space a wrap leaves.
	needle := strings.Join(strings.Fields(strings.ToLower(q)), " ")
	if needle == "" {
		needle = strings.ToLower(q)
	}
	if len(s.plain) != len(s.lines) {
		s.plain, s.cols = make([]string, len(s.lines)), make([][]int32, len(s.lines))
		for i, line := range s.lines {
			s.plain[i] = strings.ToLower(ansi.Strip(line))
		}
	}
	// A match of valid UTF-8 in valid UTF-8 starts on a rune boundary,
	// so searching the bytes finds what a search of the runes would.
	nw := ansi.StringWidth(needle)
	for i, plain := range s.plain {
		for from := 0; ; {
			at := strings.Index(plain[from:], needle)
			if at < 0 {
				break
			}
			at += from
			// Columns: the width of what stands before the match.
			c0 := s.column(i, at)
			s.search.matches = append(s.search.matches, match{line: i, start: c0, end: c0 + nw})
			from = at + len(needle)
		}
	}
	// A phrase wrapped across two lines: its first words end one line,
	// the rest start the next.
	if words := strings.Fields(needle); len(words) > 1 {
		heads, rests := make([]string, len(words)), make([]string, len(words))
		for k := 1; k < len(words); k++ {
			heads[k], rests[k] = strings.Join(words[:k], " "), strings.Join(words[k:], " ")
		}
		for i := 0; i+1 < len(s.plain); i++ {
			first := strings.TrimRight(s.plain[i], " ")
			next := strings.TrimLeft(s.plain[i+1], " ")
			for k := 1; k < len(words); k++ {
				if !strings.HasSuffix(first, heads[k]) || !strings.HasPrefix(next, rests[k]) {
					continue
				}
				c1 := ansi.StringWidth(first)
				c0 := c1 - ansi.StringWidth(heads[k])
				s.search.matches = append(s.search.matches, match{line: i, start: c0, end: c1, tail: ansi.StringWidth(rests[k])})
				break
			}
		}
		slices.SortStableFunc(s.search.matches, func(a, b match) int { return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.start, b.start)) })
	}
	if s.search.current >= len(s.search.matches) {
		s.search.current = 0
	}
}

// column is the cell column byte at of plain line i starts at: the width
// of what stands before it, as ansi.StringWidth measures it. Measuring
// each match's prefix was most of a search's cost in a long lesson, so a
// line that is not all printable ASCII (where a byte is a cell) has its
// columns counted once, the first time a match needs them.
func (s *lessonScreen) column(i, at int) int {
	plain := s.plain[i]
	if s.cols[i] == nil {
		s.cols[i] = lineColumns(plain)
	}
	switch cols := s.cols[i]; {
	case len(cols) == 0:
		return at // printable ASCII
	case cols[at] >= 0:
		return int(cols[at])
	}
	return ansi.StringWidth(plain[:at]) // inside a grapheme cluster
}

// lineColumns is the column of each byte of a plain line that starts a
// grapheme cluster, -1 for the others; empty when every byte is printable
// ASCII. A line with control bytes is measured prefix by prefix instead
// (every entry -1), since ansi.StringWidth gives those no cluster.
func lineColumns(plain string) []int32 {
	ascii := true
	for j := 0; j < len(plain); j++ {
		if c := plain[j]; c < 0x20 || c >= 0x7f {
			ascii = false
			break
		}
	}
	if ascii {
		return []int32{}
	}
	cols := make([]int32, len(plain)+1)
	for j := range cols {
		cols[j] = -1
	}
	for j := 0; j < len(plain); j++ {
		if c := plain[j]; c < 0x20 || c == 0x7f {
			return cols
		}
	}
	// This walk is ansi.StringWidth's over text with no control bytes:
	// a cluster at a time, each adding its width.
	col := int32(0)
	for j := 0; j < len(plain); {
		cluster, w := ansi.FirstGraphemeCluster(plain[j:], ansi.GraphemeWidth)
		cols[j] = col
		col += int32(w)
		j += max(1, len(cluster))
	}
	cols[len(plain)] = col
	return cols
}

// highlightMatches styles the search's matches on win, the content lines
// from off, the current match more strongly than the rest.
func (s lessonScreen) highlightMatches(win []string, off int) {
	ms := s.search.matches
	if len(ms) == 0 {
		return
	}
	st := s.sh.styles
	end := off + len(win)
	ranges := make([][]lipgloss.Range, len(win))
	// A match on the line above the window may wrap onto its first line.
	first := sort.Search(len(ms), func(i int) bool { return ms[i].line >= off-1 })
	for i := first; i < len(ms) && ms[i].line < end; i++ {
		m := ms[i]
		style := st.Match
		if i == s.search.current {
			style = st.CurrentMatch
		}
		if m.line >= off {
			ranges[m.line-off] = append(ranges[m.line-off], lipgloss.NewRange(m.start, m.end, style))
		}
		if n := m.line + 1; m.tail > 0 && n >= off && n < end {
			lead := len(s.plain[n]) - len(strings.TrimLeft(s.plain[n], " ")) // spaces: one byte, one cell each
			ranges[n-off] = append(ranges[n-off], lipgloss.NewRange(lead, lead+m.tail, style))
		}
	}
	for j, rs := range ranges {
		if len(rs) == 0 {
			continue
		}
		slices.SortStableFunc(rs, func(a, b lipgloss.Range) int { return cmp.Compare(a.Start, b.Start) })
		// StyleRanges repeats the text where ranges overlap: keep the first.
		kept := rs[:1]
		for _, r := range rs[1:] {
			if r.Start >= kept[len(kept)-1].End {
				kept = append(kept, r)
			}
		}
		win[j] = lipgloss.StyleRanges(win[j], kept...)
	}
}

// gotoMatch makes match i (wrapping around) current and scrolls it into
// view, a third of the way down so its context shows.
func (s *lessonScreen) gotoMatch(i int) {
	n := len(s.search.matches)
	if n == 0 {
		return
	}
	s.search.current = ((i % n) + n) % n
	line := s.search.matches[s.search.current].line
	if line < s.vp.YOffset() || line >= s.vp.YOffset()+s.height {
		s.vp.SetYOffset(max(0, line-s.height/3))
	}
}

func (s lessonScreen) updateSearchInput(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	switch msg.String() {
	case "enter":
		s.search.typing = false
		s.search.edit().Blur()
		if len(s.search.matches) == 0 && s.search.query != "" {
			q := s.search.query
			return s, func() tea.Msg { return statusMsg{fmt.Sprintf("%q is not in this lesson", q)} }
		}
		return s, nil
	case "esc":
		s.search.typing = false
		s.search.edit().Blur()
		s.runSearch("")
		return s, nil
	}
	in, cmd := s.search.input.Update(msg)
	s.search.input = &in
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
