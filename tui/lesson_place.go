package tui

import (
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// A place is where the reader is in a lesson's source, not on screen: the
// last heading or card (question or lab) at or above the top line, and how
// far into its section the top line is. The same place is found again at
// any width, so the line at the top stays at the top across resizes and
// across launches in a terminal of another size.
type place struct {
	anchor   int // index into the lesson's anchors; -1: before the first
	permille int // how far into the anchor's section, 0–999
}

// The store keeps a place in the scroll column as placeBase + (anchor+1)*1000
// + permille. Smaller values are screen-line offsets saved by earlier
// versions, still read as such.
const placeBase = 1 << 24

func (p place) encode() int { return placeBase + (p.anchor+1)*1000 + p.permille }

func decodePlace(v int) (place, bool) {
	if v < placeBase {
		return place{}, false
	}
	v -= placeBase
	return place{anchor: v/1000 - 1, permille: v % 1000}, true
}

// anchor is a heading or a card of the lesson, in source order.
type anchor struct {
	offset   int    // byte offset in the body
	heading  string // the heading's text; "" for a card
	question int    // the card's question index, or -1
	lab      int    // the card's lab index, or -1
}

// anchors lists the lesson's headings and cards in source order.
func (s lessonScreen) anchors() []anchor {
	var out []anchor
	for _, h := range s.lesson.Headings {
		out = append(out, anchor{offset: h.Offset, heading: h.Text, question: -1, lab: -1})
	}
	for i, q := range s.lesson.Questions {
		out = append(out, anchor{offset: q.Offset, question: i, lab: -1})
	}
	for i, l := range s.lesson.Labs {
		out = append(out, anchor{offset: l.Offset, question: -1, lab: i})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].offset < out[j].offset })
	return out
}

// anchorLines finds the content line of each anchor: cards where they were
// placed, headings by their text after the anchor before. An anchor not
// found takes the line of the one before it.
func (s lessonScreen) anchorLines(as []anchor) []int {
	lines := make([]int, len(as))
	from := 0
	for i, a := range as {
		switch {
		case a.question >= 0 && a.question < len(s.cards):
			lines[i] = s.cards[a.question]
		case a.lab >= 0 && a.lab < len(s.labCards):
			lines[i] = s.labCards[a.lab]
		default:
			lines[i] = from
			if at, ok := s.findHeading(a.heading, from); ok {
				lines[i] = at
			}
		}
		from = max(from, lines[i])
	}
	return lines
}

// findHeading is the first content line at or after from that shows the
// heading's text (or its start, when the heading wraps).
func (s lessonScreen) findHeading(text string, from int) (int, bool) {
	want := strings.ToLower(strings.Join(strings.Fields(text), " "))
	if want == "" {
		return 0, false
	}
	for i := from; i < len(s.lines); i++ {
		got := strings.ToLower(strings.Join(strings.Fields(strings.TrimLeft(strings.TrimSpace(ansi.Strip(s.lines[i])), "#")), " "))
		if got == "" {
			continue
		}
		if strings.Contains(got, want) || (len(got) >= 8 && strings.HasPrefix(want, got)) {
			return i, true
		}
	}
	return 0, false
}

// placeAt is the place of content line top.
func (s lessonScreen) placeAt(top int) place {
	as := s.anchors()
	lines := s.anchorLines(as)
	p := place{anchor: -1}
	start, end := 0, len(s.lines)
	for i, l := range lines {
		if l <= top {
			p.anchor, start = i, l
		}
	}
	if p.anchor+1 < len(lines) {
		end = lines[p.anchor+1]
	}
	if end > start {
		p.permille = min(999, (top-start)*1000/(end-start))
	}
	return p
}

// lineOf is the content line where a place is now.
func (s lessonScreen) lineOf(p place) int {
	as := s.anchors()
	lines := s.anchorLines(as)
	start, end := 0, len(s.lines)
	if p.anchor >= 0 && p.anchor < len(lines) {
		start = lines[p.anchor]
	}
	if p.anchor+1 < len(lines) {
		end = lines[p.anchor+1]
	}
	if p.permille == 0 {
		// The top of the section (a lesson just opened, a heading at the
		// top) is its first line, however long the section: the middle
		// of the first thousandth is lines down in a long one.
		return start
	}
	// Rounded, so a place taken at one width gives back the same line.
	return start + ((2*p.permille+1)*(end-start)+1000)/2000
}
