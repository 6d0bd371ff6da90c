package search

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A lesson is searched as the learner reads it, not as the author typed
// it: "**private cache**" must match "private cache", and a link's URL is
// not text on the screen. So each lesson is projected to plain text once:
// markup dropped, whitespace folded to single spaces, one segment per
// block (paragraph, heading, list item, table row, code line, question
// prompt or choice), segments separated by '\n'. anchors map positions in
// that text back to byte offsets in Lesson.Body.

// segment is one block of a lesson's projected text.
type segment struct {
	start, end int // byte range in the projected text
	place      Place
	question   int // index in Lesson.Questions for InQuestion, else -1
	src        int // byte offset in Body where the block starts (question: its Offset)
	// repeat marks a heading that says the lesson's title again: it tells
	// the learner nothing the title doesn't.
	repeat bool
}

// anchor records that projected text from pos on continues Body from src,
// byte for byte, until the next anchor.
type anchor struct{ pos, src int32 }

// projector builds a lesson's projected text.
type projector struct {
	out     []byte
	segs    []segment
	anchors []anchor
	// open is true while a segment is being written; space when
	// whitespace has been seen that must become one space before the next
	// visible character.
	open, space bool
	cur         segment
	mapping     bool // record anchors (body text only)
}

// begin starts a new segment, closing the one before.
func (p *projector) begin(place Place, question, src int) {
	p.end()
	p.cur = segment{start: len(p.out), place: place, question: question, src: src}
	p.open = true
}

// end closes the current segment; an empty one is dropped.
func (p *projector) end() {
	if !p.open {
		return
	}
	p.open, p.space = false, false
	if len(p.out) == p.cur.start {
		return
	}
	p.cur.end = len(p.out)
	p.segs = append(p.segs, p.cur)
	p.out = append(p.out, '\n')
}

// putFolded writes s, folding runs of whitespace into one space; srcAt
// says where byte i of s stands in Body.
func putFolded[S string | []byte](p *projector, s S, srcAt func(i int) int) {
	for i := 0; i < len(s); {
		if isSpace(s[i]) {
			p.space = true
			i++
			continue
		}
		j := i + 1
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		p.visible(srcAt(i))
		p.out = append(p.out, s[i:j]...)
		i = j
	}
}

// run writes visible text that stands in Body as one piece.
func (p *projector) run(s []byte, src int) {
	p.visible(src)
	p.out = append(p.out, s...)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isPlain reports whether inline writes c as it is: it is no markup and
// no whitespace.
func isPlain(c byte) bool {
	switch c {
	case '\\', '`', '*', '~', '_', '|', '!', '[', ' ', '\t', '\n', '\r':
		return false
	}
	return true
}

// putByte writes one visible byte standing at src.
func (p *projector) putByte(c byte, src int) {
	p.visible(src)
	p.out = append(p.out, c)
}

// visible prepares for a visible byte from src: the pending space, and an
// anchor when the mapping to Body shifts.
func (p *projector) visible(src int) {
	if p.space && len(p.out) > p.cur.start {
		p.out = append(p.out, ' ')
	}
	p.space = false
	if !p.mapping {
		return
	}
	pos := len(p.out)
	if n := len(p.anchors); n == 0 || int(p.anchors[n-1].src)+pos-int(p.anchors[n-1].pos) != src {
		p.anchors = append(p.anchors, anchor{int32(pos), int32(src)})
	}
}

// paragraph is the lines of one block joined by '\n', block-quote and
// list markers taken off, with where each line stands in Body; code spans
// and links may run from one line to the next.
type paragraph struct {
	text   []byte
	starts []int // where each line starts in text
	srcs   []int // and in Body
}

func (pa *paragraph) add(line string, src int) {
	if len(pa.starts) > 0 {
		pa.text = append(pa.text, '\n')
	}
	pa.starts = append(pa.starts, len(pa.text))
	pa.srcs = append(pa.srcs, src)
	pa.text = append(pa.text, line...)
}

func (pa *paragraph) reset() {
	pa.text, pa.starts, pa.srcs = pa.text[:0], pa.starts[:0], pa.srcs[:0]
}

// src is where byte i of the paragraph stands in Body.
func (pa *paragraph) src(i int) int {
	k := sort.SearchInts(pa.starts, i+1) - 1
	return pa.srcs[k] + i - pa.starts[k]
}

// markdown projects a markdown text that starts at src in Body. Every
// block becomes a segment of the given place; lines holding one of the
// heading offsets become InHeading segments.
func (p *projector) markdown(md string, src int, place Place, question int, headings []int) {
	var fence string // the opening fence while inside a fenced code block
	h := 0           // next heading to look for
	var pa paragraph
	flush := func() {
		if len(pa.starts) > 0 {
			p.begin(place, question, pa.srcs[0])
			p.inline(&pa, 0, len(pa.text))
			p.end()
			pa.reset()
		}
	}
	// single projects one line as a block of its own.
	single := func(pl Place, line string, lineSrc int) {
		flush()
		pa.add(line, lineSrc)
		p.begin(pl, question, lineSrc)
		p.inline(&pa, 0, len(pa.text))
		p.end()
		pa.reset()
	}
	for off := 0; off <= len(md); {
		lineEnd := strings.IndexByte(md[off:], '\n')
		if lineEnd < 0 {
			lineEnd = len(md)
		} else {
			lineEnd += off
		}
		line := md[off:lineEnd]
		lineSrc := src + off
		next := lineEnd + 1

		if fence != "" {
			if isClosingFence(line, fence) {
				fence = ""
			} else {
				p.begin(place, question, lineSrc)
				putFolded(p, line, func(i int) int { return lineSrc + i })
				p.end()
			}
			off = next
			continue
		}
		indent := leadingSpaces(line)
		body := line[indent:]
		bodySrc := lineSrc + indent
		isHeading := false
		for h < len(headings) && headings[h] < lineSrc {
			h++
		}
		if h < len(headings) && headings[h] < src+lineEnd+1 {
			isHeading = true
		}
		switch {
		case strings.TrimSpace(line) == "":
			flush()
		case indent < 4 && (strings.HasPrefix(body, "```") || strings.HasPrefix(body, "~~~")):
			flush()
			fence = body[:fenceLen(body)]
		case isHeading:
			text, at := headingText(body)
			single(InHeading, text, bodySrc+at)
		case indent < 4 && isRule(body):
			// A thematic break or a setext underline: nothing to read.
			flush()
		case indent < 4 && body[0] == '|':
			flush()
			if !isTableRule(body) {
				single(place, body, bodySrc)
			}
		default:
			// Block quotes and list markers open a new block.
			for strings.HasPrefix(body, ">") {
				n := 1
				if len(body) > 1 && body[1] == ' ' {
					n = 2
				}
				body, bodySrc = body[n:], bodySrc+n
			}
			if n := listMarker(body); n > 0 {
				body, bodySrc = body[n:], bodySrc+n
				flush()
			}
			pa.add(body, bodySrc)
		}
		off = next
	}
	flush()
}

// inlineText projects a short text (a title, a choice) as inline markdown.
func (p *projector) inlineText(s string) {
	pa := paragraph{text: []byte(s), starts: []int{0}, srcs: []int{0}}
	p.inline(&pa, 0, len(pa.text))
}

// inline writes pa.text[from:to] as text: emphasis, code and link markup
// are dropped, what they wrap is kept.
func (p *projector) inline(pa *paragraph, from, to int) {
	s := pa.text[:to]
	for i := from; i < to; {
		c := s[i]
		if isPlain(c) {
			j := i + 1
			for j < to && isPlain(s[j]) {
				j++
			}
			p.run(s[i:j], pa.src(i))
			i = j
			continue
		}
		switch {
		case c == '\\':
			if i+1 < to && isASCIIPunct(s[i+1]) {
				p.putByte(s[i+1], pa.src(i+1))
				i += 2
				continue
			}
			if i+1 == to || s[i+1] == '\n' {
				i++ // a hard line break
				continue
			}
		case c == '`':
			n := runLen(s[i:], '`')
			if close := closingTicks(s[i+n:], n); close >= 0 {
				at := i + n
				putFolded(p, s[at:at+close], func(k int) int { return pa.src(at + k) })
				i += n + close + n
				continue
			}
			p.run(s[i:i+n], pa.src(i))
			i += n
			continue
		case c == '*' || c == '~':
			i++
			continue
		case c == '_':
			// Emphasis at a word's edge; snake_case keeps its underscore.
			if i == 0 || i+1 == to || !isWordByte(s[i-1]) || !isWordByte(s[i+1]) {
				i++
				continue
			}
		case c == '|' || c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.space = true
			i++
			continue
		case c == '!' && i+1 < to && s[i+1] == '[':
			i++
			continue
		case c == '[':
			if textEnd, after, ok := linkAt(s[i:]); ok {
				p.inline(pa, i+1, i+textEnd)
				i += after
				continue
			}
		}
		p.putByte(c, pa.src(i))
		i++
	}
}

// closingTicks finds the run of exactly n backticks that closes a code
// span in s, or -1.
func closingTicks(s []byte, n int) int {
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		m := runLen(s[i:], '`')
		if m == n {
			return i
		}
		i += m
	}
	return -1
}

// linkAt reads "[text](dest)" or "[text][ref]" at the start of s and
// returns where the text ends and how many bytes the whole link takes.
func linkAt(s []byte) (textEnd int, n int, ok bool) {
	depth := 0
	closeAt := -1
	for i := 0; i < len(s) && closeAt < 0; i++ {
		switch s[i] {
		case '\\':
			i++
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				closeAt = i
			}
		}
	}
	if closeAt < 0 || closeAt+1 >= len(s) {
		return 0, 0, false
	}
	open, shut := s[closeAt+1], byte(')')
	switch open {
	case '(':
	case '[':
		shut = ']'
	default:
		return 0, 0, false
	}
	depth = 0
	for i := closeAt + 1; i < len(s); i++ {
		switch s[i] {
		case open:
			depth++
		case shut:
			depth--
			if depth == 0 {
				return closeAt, i + 1, true
			}
		}
	}
	return 0, 0, false
}

func headingText(line string) (string, int) {
	n := runLen(line, '#')
	if n == 0 || n > 6 {
		return line, 0 // a setext heading's text line
	}
	at := n
	for at < len(line) && (line[at] == ' ' || line[at] == '\t') {
		at++
	}
	text := strings.TrimRight(line[at:], " \t")
	if t := strings.TrimRight(text, "#"); t == "" || strings.HasSuffix(t, " ") {
		text = strings.TrimRight(t, " \t")
	}
	return text, at
}

func leadingSpaces(s string) int {
	n := 0
	for n < len(s) && (s[n] == ' ' || s[n] == '\t') {
		n++
	}
	return n
}

func runLen[S string | []byte](s S, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

func fenceLen(s string) int { return runLen(s, s[0]) }

func isClosingFence(line, fence string) bool {
	t := strings.TrimSpace(line)
	return leadingSpaces(line) < 4 && len(t) >= len(fence) && t[0] == fence[0] && runLen(t, fence[0]) == len(t)
}

// isRule is a thematic break or setext underline: three or more of one of
// - = * _ and nothing else but spaces.
func isRule(s string) bool {
	t := strings.TrimSpace(s)
	if len(t) < 3 {
		return false
	}
	c := t[0]
	if c != '-' && c != '=' && c != '*' && c != '_' {
		return false
	}
	n := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

func isTableRule(s string) bool {
	return strings.Trim(s, "|:- \t") == "" && strings.Contains(s, "-")
}

// listMarker is the length of a list item marker at the start of s
// ("- ", "* ", "+ ", "12. ", "3) "), or 0.
func listMarker(s string) int {
	if len(s) >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t') {
		return 2
	}
	n := 0
	for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n > 0 && n+1 < len(s) && (s[n] == '.' || s[n] == ')') && (s[n+1] == ' ' || s[n+1] == '\t') {
		return n + 2
	}
	return 0
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// isWordByte is for ASCII context checks; any non-ASCII byte counts as
// part of a word.
func isWordByte(c byte) bool {
	return c >= utf8.RuneSelf || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// fold lowercases s without changing its length in bytes, so an offset in
// the folded text is the same offset in s. The rare letters whose lower
// case is longer or shorter (such as U+0130) are left as they are.
func fold(s string) string {
	b := make([]byte, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b[i] = c
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if lr := unicode.ToLower(r); lr != r && utf8.RuneLen(lr) == n {
			utf8.EncodeRune(b[i:], lr)
		} else {
			copy(b[i:i+n], s[i:i+n])
		}
		i += n
	}
	return string(b)
}
