package render

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// span is a run of inline text in one style. Spaces inside a span are
// places a line may break, except in a nobreak span.
type span struct {
	text    string
	st      style
	nobreak bool // a URL or path: cut only when it can't fit a line at all
	hard    bool // a hard line break; text is empty
}

// inliner collects the spans of a paragraph, a heading, a table cell.
type inliner struct {
	r     *renderer
	spans []span
	skip  int // source offset before which text is left out (a callout's marker)
}

func (in *inliner) add(text string, st style) {
	if text == "" {
		return
	}
	in.spans = append(in.spans, span{text: text, st: st})
}

// text decodes a Text node's source as markdown does: backslash escapes
// and character references.
func textValue(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if !strings.ContainsAny(string(b), "\\&") {
		return string(b)
	}
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	b = util.ResolveEntityNames(b)
	return string(b)
}

// inlines adds the spans of n's children in style st.
func (in *inliner) inlines(n ast.Node, st style, depth int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		in.inline(c, st, depth+1)
	}
}

func (in *inliner) inline(n ast.Node, st style, depth int) {
	p := in.r.p
	src := in.r.src
	if depth > maxDepth {
		// Deeper than any lesson needs: the text still shows, unstyled.
		in.add(plainText(n, src), st)
		return
	}
	switch n := n.(type) {
	case *ast.Text:
		seg := n.Segment
		if seg.Stop <= in.skip {
			return
		}
		if seg.Start < in.skip {
			seg = seg.WithStart(in.skip)
		}
		v := seg.Value(src)
		if in.skip > 0 && len(in.spans) == 0 {
			v = []byte(strings.TrimLeft(string(v), " \t"))
		}
		if n.IsRaw() {
			in.add(string(v), st)
		} else {
			in.add(textValue(v), st)
		}
		switch {
		case n.HardLineBreak():
			in.spans = append(in.spans, span{hard: true})
		case n.SoftLineBreak():
			// A line break in the source is a space: the paragraph is
			// reflowed to the width, as the author meant.
			in.add(" ", st)
		}
	case *ast.String:
		in.add(textValue(n.Value), st)
	case *ast.CodeSpan:
		var b strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				b.Write(t.Segment.Value(src))
			} else if s, ok := c.(*ast.String); ok {
				b.Write(s.Value)
			}
		}
		code := strings.ReplaceAll(b.String(), "\n", " ")
		cs := st.over(p.code)
		if p.plain {
			in.add(code, cs)
			return
		}
		// A space of the code's background either side, as glamour did,
		// kept to the code by no-break spaces so a line never starts or
		// ends inside the padding.
		in.add("\u00a0"+code+"\u00a0", cs)
	case *ast.Emphasis:
		if n.Level >= 2 {
			in.inlines(n, st.over(p.strong), depth)
		} else {
			in.inlines(n, st.over(p.emph), depth)
		}
	case *east.Strikethrough:
		in.inlines(n, st.over(p.strike), depth)
	case *ast.Link:
		in.link(n, string(n.Destination), st, depth)
	case *ast.AutoLink:
		url := string(n.URL(src))
		label := string(n.Label(src))
		if t, ok := in.r.resolve(url, false); ok && t.Lesson != "" {
			in.add(label, st.over(p.linkText))
			in.add(" ", st)
			in.spans = append(in.spans, span{text: t.Lesson, st: st.over(p.link), nobreak: true})
			return
		}
		in.spans = append(in.spans, span{text: label, st: st.over(p.link), nobreak: true})
	case *ast.Image:
		alt := plainText(n, src)
		in.image(alt, string(n.Destination), st)
	case *ast.RawHTML:
		in.rawHTML(n, st)
	case *east.TaskCheckBox:
		if n.IsChecked {
			in.add("[✓] ", st)
		} else {
			in.add("[ ] ", st)
		}
	default:
		in.inlines(n, st, depth)
	}
}

// link shows a link's text and where it goes: the target's title for a
// lesson, the path for a file of the course, the URL otherwise, unless
// the text already is the URL.
func (in *inliner) link(n ast.Node, dest string, st style, depth int) {
	p := in.r.p
	start := len(in.spans)
	in.inlines(n, st.over(p.linkText), depth)
	text := spansText(in.spans[start:])
	t, _ := in.r.resolve(dest, false)
	switch {
	case t.Lesson != "":
		in.add(" ", st)
		in.spans = append(in.spans, span{text: t.Lesson, st: st.over(p.link)})
	case t.Path != "":
		in.add(" ", st)
		in.spans = append(in.spans, span{text: t.Path, st: st.over(p.link), nobreak: true})
	case dest == "" || strings.HasPrefix(dest, "#") || dest == text || "mailto:"+text == dest:
	default:
		in.add(" ", st)
		in.spans = append(in.spans, span{text: dest, st: st.over(p.link), nobreak: true})
	}
}

// image shows an image as glamour does: "Image: alt → where".
func (in *inliner) image(alt, dest string, st style) {
	p := in.r.p
	t, _ := in.r.resolve(dest, true)
	where := dest
	if t.Path != "" {
		where = t.Path
	}
	label := "Image"
	if alt != "" {
		label += ": " + alt
	}
	in.add(label, st.over(p.imageText))
	if where != "" {
		in.add(" → ", st.over(p.imageText))
		in.spans = append(in.spans, span{text: where, st: st.over(p.image), nobreak: true})
	}
}

// rawHTML handles inline HTML: a <br> breaks the line, an <img> shows its
// alt text as an image does, other tags are left out and their text
// (separate nodes) shows.
func (in *inliner) rawHTML(n *ast.RawHTML, st style) {
	var b strings.Builder
	for i := 0; i < n.Segments.Len(); i++ {
		s := n.Segments.At(i)
		b.Write(s.Value(in.r.src))
	}
	tag := b.String()
	lower := strings.ToLower(tag)
	switch {
	case strings.HasPrefix(lower, "<br"):
		in.spans = append(in.spans, span{hard: true})
	case strings.HasPrefix(lower, "<img"):
		in.image(htmlAttr(tag, "alt"), htmlAttr(tag, "src"), st)
	}
}

func spansText(sp []span) string {
	var b strings.Builder
	for _, s := range sp {
		b.WriteString(s.text)
	}
	return b.String()
}

// plainText is the text of n and its descendants, unstyled.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.WriteString(textValue(c.Segment.Value(src)))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.WriteString(textValue(c.Value))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// word is text between two places a line may break, in one or more
// styles ("**bold**," is two pieces): pieces[start:end] of the slice
// words returns with it, so a paragraph's words share one array.
type word struct {
	start, end int
	width      int
	space      style // style of the space before it
	spaced     bool  // a space comes before it
	nobreak    bool
	hard       bool // a hard line break comes before it
}

// words splits spans into words at spaces.
func words(spans []span) ([]span, []word) {
	n := len(spans)
	for _, s := range spans {
		n += strings.Count(s.text, " ")
	}
	pieces := make([]span, 0, n)
	out := make([]word, 0, n)
	cur := word{}
	pendingSpace, pendingHard := false, false
	var spaceStyle style
	flush := func() {
		if cur.end > cur.start {
			out = append(out, cur)
		}
		cur = word{start: len(pieces), end: len(pieces)}
	}
	for _, s := range spans {
		if s.hard {
			flush()
			pendingHard, pendingSpace = true, false
			continue
		}
		text := s.text
		for text != "" {
			i := strings.IndexByte(text, ' ')
			if s.nobreak {
				i = -1
			}
			if i == 0 {
				flush()
				if !pendingHard {
					pendingSpace = true
				}
				spaceStyle = s.st
				text = text[1:]
				continue
			}
			part := text
			if i > 0 {
				part, text = text[:i], text[i:]
			} else {
				text = ""
			}
			if cur.end == cur.start {
				cur.spaced, cur.space, cur.hard = pendingSpace && len(out) > 0, spaceStyle, pendingHard && len(out) > 0
				pendingSpace, pendingHard = false, false
			}
			pieces = append(pieces, span{text: part, st: s.st})
			cur.end = len(pieces)
			cur.width += textWidth(part)
			cur.nobreak = cur.nobreak || s.nobreak
		}
	}
	flush()
	return pieces, out
}

// wrap fills lines of at most width columns with spans, breaking at
// spaces. A word wider than a line is cut at the width, never at its own
// punctuation; with runOn, a URL or path wider than a line has a line to
// itself and runs on past the width instead, whole, so it copies intact.
// The lines share one array.
func wrap(spans []span, width int, runOn bool) [][]span {
	width = max(width, 1)
	pieces, ws := words(spans)
	flat := make([]span, 0, len(pieces)+len(ws))
	var starts []int
	lineStart, used := 0, 0
	newLine := func() {
		starts = append(starts, lineStart)
		lineStart, used = len(flat), 0
	}
	for _, w := range ws {
		if w.hard && (used > 0 || len(starts) > 0) {
			newLine()
		}
		need := w.width
		if w.spaced && used > 0 {
			need++
		}
		if used > 0 && used+need > width {
			newLine()
		}
		if w.spaced && used > 0 {
			flat = append(flat, span{text: " ", st: w.space})
			used++
		}
		if used+w.width <= width || (runOn && w.nobreak) {
			flat = append(flat, pieces[w.start:w.end]...)
			used += w.width
			continue
		}
		// Wider than a whole line: cut it into line-wide pieces.
		for _, pc := range pieces[w.start:w.end] {
			text := pc.text
			for text != "" {
				room := width - used
				if room <= 0 {
					newLine()
					room = width
				}
				head, rest := cutWidth(text, room)
				if head == "" { // one character wider than the room left
					if used > 0 {
						newLine()
						continue
					}
					_, n := utf8.DecodeRuneInString(text)
					head, rest = text[:n], text[n:]
				}
				flat = append(flat, span{text: head, st: pc.st})
				used += textWidth(head)
				text = rest
			}
		}
	}
	if len(flat) > lineStart || len(starts) == 0 {
		starts = append(starts, lineStart)
	}
	lines := make([][]span, len(starts))
	for i, st := range starts {
		end := len(flat)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		lines[i] = flat[st:end:end]
	}
	return lines
}

// cutWidth splits s after at most w columns.
func cutWidth(s string, w int) (string, string) {
	used := 0
	for i, r := range s {
		rw := 1
		if r >= utf8.RuneSelf {
			rw = ansi.StringWidth(string(r))
		}
		if used+rw > w {
			return s[:i], s[i:]
		}
		used += rw
	}
	return s, ""
}

// writeSpans writes spans in their styles: one sequence per change of
// style, and a reset at the end.
func (r *renderer) writeSpans(b *strings.Builder, sp []span) {
	if r.paint != nil {
		// Runs of one style, painted by the caller.
		for i := 0; i < len(sp); {
			j := i + 1
			for j < len(sp) && sp[j].st == sp[i].st {
				j++
			}
			var t strings.Builder
			for _, s := range sp[i:j] {
				t.WriteString(s.text)
			}
			b.WriteString(r.paint(sp[i].st.mark, t.String()))
			i = j
		}
		return
	}
	var cur style
	open := false
	for _, s := range sp {
		if !open || s.st != cur {
			if open {
				b.WriteString("\x1b[m")
			}
			seq := s.st.sgr()
			b.WriteString(seq)
			open, cur = seq != "", s.st
			if !open {
				cur = style{}
			}
		}
		b.WriteString(s.text)
	}
	if open {
		b.WriteString("\x1b[m")
	}
}

func spansWidth(sp []span) int {
	n := 0
	for _, s := range sp {
		n += textWidth(s.text)
	}
	return n
}

// textWidth is the width of unstyled text in columns: its length when it
// is ASCII, as nearly all lesson text is, else what ansi measures.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}
