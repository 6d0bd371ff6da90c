package render

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// maxDepth bounds how deep the renderer follows nested blocks and inlines.
// Lessons nest a few levels; input bounds are checked before rendering, and
// this only makes sure a document that slips past them can't exhaust the
// stack: anything deeper shows as plain text.
const maxDepth = 64

// minWidth is the narrowest text nesting leaves: deeper blocks stop
// indenting rather than wrap a letter a line.
const minWidth = 10

// renderer renders one document; it is used once, by one goroutine.
type renderer struct {
	src     []byte
	p       *palette
	opts    Options
	resolve func(dest string, image bool) (Target, bool)
	// paint, when set, styles text instead of the palette's sequences
	// (see Text).
	paint func(m Mark, text string) string
}

// line is one output line: its text (styled) and its width in columns.
type line struct {
	s string
	w int
}

// block renders n into lines at most width columns wide (code lines may
// run on, see Options.CutWide).
func (r *renderer) block(n ast.Node, width, depth int) []line {
	p := r.p
	if depth > maxDepth {
		return r.paragraphLines([]span{{text: plainText(n, r.src), st: p.text}}, width)
	}
	switch n := n.(type) {
	case *ast.Document:
		return r.children(n, width, depth)
	case *ast.Heading:
		return r.heading(n, width, depth)
	case *ast.Paragraph, *ast.TextBlock:
		in := &inliner{r: r}
		in.inlines(n, p.text, depth)
		return r.paragraphLines(in.spans, width)
	case *ast.ThematicBreak:
		return []line{r.styled(strings.Repeat("─", min(width, 8)), p.rule)}
	case *ast.FencedCodeBlock:
		return r.code(n, string(n.Language(r.src)), width)
	case *ast.CodeBlock:
		return r.code(n, "", width)
	case *ast.Blockquote:
		return r.quote(n, width, depth)
	case *ast.List:
		return r.list(n, width, depth)
	case *ast.HTMLBlock:
		return r.htmlBlock(n, width)
	case *east.Table:
		return r.table(n, width, depth)
	case *east.DefinitionList:
		return r.children(n, width, depth)
	case *east.DefinitionTerm:
		in := &inliner{r: r}
		in.inlines(n, p.text.over(p.term), depth)
		return r.paragraphLines(in.spans, width)
	case *east.DefinitionDescription:
		lines := r.children(n, width-2, depth)
		return indent(lines, "  ", 2)
	}
	// Anything else: its children as blocks.
	return r.children(n, width, depth)
}

// children renders the blocks under n, a blank line between blocks (none
// between the items of a tight list's text).
func (r *renderer) children(n ast.Node, width, depth int) []line {
	var out []line
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		lines := r.block(c, width, depth+1)
		if len(lines) == 0 {
			continue
		}
		if len(out) > 0 {
			out = append(out, line{})
		}
		out = append(out, lines...)
	}
	return out
}

func (r *renderer) styled(s string, st style) line {
	var b strings.Builder
	r.writeSpans(&b, []span{{text: s, st: st}})
	return line{s: b.String(), w: textWidth(s)}
}

func (r *renderer) paragraphLines(spans []span, width int) []line {
	if len(spans) == 0 {
		return nil
	}
	var out []line
	for _, l := range wrap(trimSpans(spans), width, !r.opts.CutWide) {
		var b strings.Builder
		r.writeSpans(&b, l)
		out = append(out, line{s: b.String(), w: spansWidth(l)})
	}
	return out
}

// trimSpans drops spaces at the start and end of a paragraph.
func trimSpans(sp []span) []span {
	blank := func(s span) bool { return s.hard || (!s.nobreak && strings.TrimSpace(s.text) == "") }
	for len(sp) > 0 && blank(sp[0]) {
		sp = sp[1:]
	}
	for len(sp) > 0 && blank(sp[len(sp)-1]) {
		sp = sp[:len(sp)-1]
	}
	if len(sp) > 0 {
		if !sp[0].nobreak {
			sp[0].text = strings.TrimLeft(sp[0].text, " ")
		}
		if last := &sp[len(sp)-1]; !last.nobreak {
			last.text = strings.TrimRight(last.text, " ")
		}
	}
	return sp
}

func (r *renderer) heading(n *ast.Heading, width, depth int) []line {
	p := r.p
	in := &inliner{r: r}
	st := p.text.over(p.heading)
	if n.Level == 1 {
		st = p.text.over(p.h1)
	}
	prefix := strings.Repeat("#", n.Level) + " "
	if n.Level == 1 && p.h1Pad {
		prefix = " "
	}
	// The prefix stays with the first word, the bar's end with the last.
	in.spans = append(in.spans, span{text: prefix, st: st, nobreak: true})
	in.inlines(n, st, depth)
	if n.Level == 1 && p.h1Pad {
		in.spans = append(in.spans, span{text: " ", st: st, nobreak: true})
	}
	lines := r.paragraphLines(in.spans, width)
	return lines
}

// quote renders a blockquote with a bar down its side, or a GitHub-style
// callout ("> [!NOTE]") as a labelled one.
func (r *renderer) quote(n *ast.Blockquote, width, depth int) []line {
	p := r.p
	if width < minWidth+2 {
		// Quotes nested this deep have no room left for their bars.
		return r.children(n, width, depth)
	}
	bar := p.quote
	kind, skip := r.calloutKind(n)
	var lines []line
	if kind != "" {
		bar = p.callout[kind]
		label := strings.ToUpper(kind[:1]) + kind[1:]
		lines = append(lines, r.styled(label, p.text.over(bar)))
		first := n.FirstChild()
		in := &inliner{r: r, skip: skip}
		in.inlines(first, p.text, depth)
		lines = append(lines, r.paragraphLines(in.spans, width-2)...)
		for c := first.NextSibling(); c != nil; c = c.NextSibling() {
			if b := r.block(c, width-2, depth+1); len(b) > 0 {
				lines = append(append(lines, line{}), b...)
			}
		}
	} else {
		lines = r.children(n, width-2, depth)
	}
	prefix := r.styled("│ ", bar)
	return indent(lines, prefix.s, 2)
}

var calloutMarker = lazyRegexp(`^\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]`)

// calloutKind reports the kind of a callout and the source offset where
// its text starts after the marker, or "" for a plain quote.
func (r *renderer) calloutKind(n *ast.Blockquote) (string, int) {
	first, ok := n.FirstChild().(*ast.Paragraph)
	if !ok || first.Lines().Len() == 0 {
		return "", 0
	}
	seg := first.Lines().At(0)
	m := calloutMarker().FindSubmatchIndex(seg.Value(r.src))
	if m == nil {
		return "", 0
	}
	kind := strings.ToLower(string(seg.Value(r.src)[m[2]:m[3]]))
	return kind, seg.Start + m[1]
}

func (r *renderer) list(n *ast.List, width, depth int) []line {
	var out []line
	num := n.Start
	if num == 0 {
		num = 1
	}
	// Ordered markers line up: all as wide as the widest.
	markerWidth := 2
	if n.IsOrdered() {
		markerWidth = len(strconv.Itoa(num+n.ChildCount()-1)) + 2
	}
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		marker := "• "
		if n.IsOrdered() {
			marker = strconv.Itoa(num) + string(n.Marker) + " "
			marker = strings.Repeat(" ", max(0, markerWidth-len(marker))) + marker
			num++
		}
		var body []line
		for c := item.FirstChild(); c != nil; c = c.NextSibling() {
			lines := r.block(c, max(width-markerWidth, minWidth), depth+2)
			if len(lines) == 0 {
				continue
			}
			// A tight list's text and a nested list follow each other
			// without a blank line.
			if len(body) > 0 && !(n.IsTight && isInlineBlock(c.PreviousSibling())) {
				body = append(body, line{})
			}
			body = append(body, lines...)
		}
		if len(out) > 0 && !n.IsTight {
			out = append(out, line{})
		}
		if len(body) == 0 {
			body = []line{{}}
		}
		m := r.styled(marker, r.p.text)
		out = append(out, line{s: m.s + body[0].s, w: m.w + body[0].w})
		out = append(out, indent(body[1:], strings.Repeat(" ", markerWidth), markerWidth)...)
	}
	return out
}

func isInlineBlock(n ast.Node) bool {
	switch n.(type) {
	case *ast.TextBlock, *ast.Paragraph:
		return true
	}
	return false
}

// indent puts prefix (w columns) before every line; blank lines stay
// blank unless the prefix is visible (a quote's bar).
func indent(lines []line, prefix string, w int) []line {
	visible := strings.TrimSpace(ansi.Strip(prefix)) != ""
	out := make([]line, len(lines))
	for i, l := range lines {
		if l.w == 0 && l.s == "" && !visible {
			out[i] = l
			continue
		}
		out[i] = line{s: prefix + l.s, w: w + l.w}
	}
	return out
}

// code renders a code block as written: lines are never wrapped, and keep
// their indentation. With Options.CutWide a line wider than the text is
// cut with a marker at its end (the TUI, where a line can't run on);
// otherwise it runs on, so a command copied from a terminal or a pipe is
// whole.
func (r *renderer) code(n ast.Node, lang string, width int) []line {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(r.src))
	}
	src := strings.TrimRight(expandTabs(b.String()), "\n")
	var rows [][]span
	if r.p.plain || r.p.chroma == nil {
		for _, l := range strings.Split(src, "\n") {
			rows = append(rows, []span{{text: l, st: r.p.codeBlock}})
		}
	} else {
		rows = r.highlight(src, lang)
	}
	const pad = 2
	room := width - pad
	out := make([]line, 0, len(rows))
	for _, row := range rows {
		w := spansWidth(row)
		if r.opts.CutWide && w > room && room > 1 {
			row = cutSpans(row, room-1)
			row = append(row, span{text: "…", st: r.p.rule})
			w = room
		}
		var sb strings.Builder
		sb.WriteString("  ")
		r.writeSpans(&sb, row)
		s := sb.String()
		if w == 0 {
			s = ""
		}
		out = append(out, line{s: s, w: w + pad})
	}
	return out
}

func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			n := 4 - col%4
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case '\n':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col += textWidth(string(r))
		}
	}
	return b.String()
}

// cutSpans keeps the first w columns of a line.
func cutSpans(sp []span, w int) []span {
	var out []span
	for _, s := range sp {
		sw := textWidth(s.text)
		if sw <= w {
			out = append(out, s)
			w -= sw
			continue
		}
		head, _ := cutWidth(s.text, w)
		if head != "" {
			out = append(out, span{text: head, st: s.st})
		}
		break
	}
	return out
}

// htmlBlock shows what a reader needs of raw HTML: an image's alt text,
// as a markdown image shows, and the text between tags (a caption).
// Comments and the tags themselves are left out.
func (r *renderer) htmlBlock(n *ast.HTMLBlock, width int) []line {
	var b strings.Builder
	segs := n.Lines()
	for i := 0; i < segs.Len(); i++ {
		seg := segs.At(i)
		b.Write(seg.Value(r.src))
	}
	if n.HasClosure() {
		b.Write(n.ClosureLine.Value(r.src))
	}
	var out []line
	for _, part := range htmlParts(b.String()) {
		in := &inliner{r: r}
		if part.image {
			in.image(part.alt, part.src, r.p.text)
		} else {
			in.add(part.text, r.p.text)
		}
		if lines := r.paragraphLines(in.spans, width); len(lines) > 0 {
			out = append(out, lines...)
		}
	}
	return out
}

// table renders a GFM table with box-drawing rules. Columns get their
// natural width when they fit; otherwise the widest shrink and their cells
// wrap.
func (r *renderer) table(n *east.Table, width, depth int) []line {
	p := r.p
	var rows [][][]span
	header := 0
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		var cells [][]span
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			in := &inliner{r: r}
			st := p.text
			if _, ok := row.(*east.TableHeader); ok {
				st = st.over(p.strong)
			}
			in.inlines(cell, st, depth+2)
			cells = append(cells, trimSpans(in.spans))
		}
		if _, ok := row.(*east.TableHeader); ok {
			header = len(rows) + 1
		}
		rows = append(rows, cells)
	}
	cols := 0
	for _, row := range rows {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return nil
	}
	natural := make([]int, cols)
	longest := make([]int, cols)
	for _, row := range rows {
		for i, c := range row {
			natural[i] = max(natural[i], spansWidth(c), 1)
			_, ws := words(c)
			for _, w := range ws {
				longest[i] = max(longest[i], w.width)
			}
		}
	}
	// Each column is separated by " │ ": 3 columns between cells.
	avail := width - 3*(cols-1)
	need := 0
	for _, n := range natural {
		need += min(n, 4)
	}
	if need > avail && header > 0 {
		return r.tableRecords(rows[:header], rows[header:], width)
	}
	avail = max(avail, cols)
	widths := fitColumns(natural, longest, avail)
	sep := r.styled(" │ ", p.tableBorder)
	var out []line
	for ri, row := range rows {
		wrapped := make([][][]span, cols)
		height := 1
		for i := range cols {
			var c []span
			if i < len(row) {
				c = row[i]
			}
			wrapped[i] = wrap(c, widths[i], false)
			height = max(height, len(wrapped[i]))
		}
		for h := range height {
			var b strings.Builder
			w := 0
			for i := range cols {
				if i > 0 {
					b.WriteString(sep.s)
					w += 3
				}
				var cell []span
				if h < len(wrapped[i]) {
					cell = wrapped[i][h]
				}
				r.writeSpans(&b, cell)
				cw := spansWidth(cell)
				if i < cols-1 {
					b.WriteString(strings.Repeat(" ", max(0, widths[i]-cw)))
					cw = widths[i]
				}
				w += cw
			}
			out = append(out, line{s: strings.TrimRight(b.String(), " "), w: w})
		}
		if ri+1 == header {
			var b strings.Builder
			for i := range cols {
				if i > 0 {
					b.WriteString("─┼─")
				}
				b.WriteString(strings.Repeat("─", widths[i]))
			}
			out = append(out, r.styled(b.String(), p.tableBorder))
		}
	}
	return out
}

// tableRecords shows a table too wide for the screen as one record per
// row: each cell after its column's header, a blank line between rows.
func (r *renderer) tableRecords(head, body [][][]span, width int) []line {
	var names [][]span
	if len(head) > 0 {
		names = head[len(head)-1]
	}
	var out []line
	for _, row := range body {
		if len(out) > 0 {
			out = append(out, line{})
		}
		for i, cell := range row {
			var sp []span
			if i < len(names) && len(names[i]) > 0 {
				sp = append(sp, names[i]...)
				sp = append(sp, span{text: ": ", st: r.p.text})
			}
			sp = append(sp, cell...)
			wrapped := r.paragraphLines(sp, width-2)
			if len(wrapped) == 0 {
				continue
			}
			out = append(out, wrapped[0])
			out = append(out, indent(wrapped[1:], "  ", 2)...)
		}
	}
	return out
}

// fitColumns shares avail columns out: every column keeps its natural
// width if all fit; otherwise the widest columns give up room, one column
// at a time, first down to their longest word (so words aren't cut), then
// down to a floor of 4.
func fitColumns(natural, longestWord []int, avail int) []int {
	w := append([]int(nil), natural...)
	total := 0
	for _, n := range w {
		total += n
	}
	for _, floor := range [][]int{longestWord, nil} {
		for total > avail {
			widest := -1
			for i := range w {
				min := 4
				if floor != nil {
					min = max(floor[i], 4)
				}
				if w[i] > min && (widest < 0 || w[i] > w[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				break
			}
			w[widest]--
			total--
		}
	}
	return w
}

// Target is what a link's destination is, when Options.Links knows it.
type Target struct {
	// Lesson is shown after the link's text in place of the destination:
	// the title of the lesson it links to (and how to open it).
	Lesson string
	// Path is a file of the course the link or image points to, as a
	// reader can open it: shown in place of the destination as written.
	Path string
}
