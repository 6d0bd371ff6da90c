// The markdown limits: they keep markdown that came from outside the
// program within what a terminal renderer can show in bounded time and
// memory. A lesson of a
// few hundred bytes can otherwise nest blockquotes, lists or emphasis deep
// enough to take gigabytes to render, and a long one can hold tens of
// thousands of headings, code lines or table rows.
//
// It is one mechanism with two uses: ApplyLimits rewrites a document before
// it is rendered, flattening or cutting what goes past a limit and leaving a
// visible marker where it did; CheckLimits reports the same places, for lint
// (every lesson is checked when it is parsed). Both
// measure goldmark's syntax tree, so they see the structure the renderer
// would build, lazy continuation lines included. Parsing is linear in the
// input; the renderer is what is not.

package lessons

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// MarkdownLimits are how much of each kind of structure a document may have.
type MarkdownLimits struct {
	Bytes     int // of markdown, in all
	Depth     int // blockquotes, list items and definitions inside each other
	Inline    int // emphasis and strikethrough inside each other
	Headings  int // in the document
	CodeLines int // in one code block
	TableRows int // in one table
	// Blocks bounds the work of a render as a whole: paragraphs, headings,
	// list items, quotes, code lines and table rows, all counted together,
	// those nested n deep counting 1+n(n+1)/2 and a container n deep
	// counting n (each level renders what it holds again).
	Blocks int
	// Inlines bounds emphasis, code spans, links, images and table cells,
	// all counted together.
	Inlines int
}

// DefaultLimits are the limits lessons are rendered with. Real lessons stay far
// inside them (the built-in course's longest has well under a tenth of each).
var DefaultLimits = MarkdownLimits{
	Bytes:     1 << 20,
	Depth:     10,
	Inline:    10,
	Headings:  200,
	CodeLines: 500,
	TableRows: 500,
	// Blocks and inlines: about three times a long lesson (the 110 KB
	// benchmark lesson fits with room to spare), so every real lesson shows whole
	// while the pathological ones (20,000 paragraphs, 10,000 quotes) are cut.
	Blocks:  4000,
	Inlines: 32000,
}

// LimitKind names a limit.
type LimitKind string

const (
	LimitBytes     LimitKind = "bytes"
	LimitDepth     LimitKind = "depth"
	LimitInline    LimitKind = "inline"
	LimitHeadings  LimitKind = "headings"
	LimitCodeLines LimitKind = "code-lines"
	LimitTableRows LimitKind = "table-rows"
	LimitBlocks    LimitKind = "blocks"
	LimitInlines   LimitKind = "inlines"
)

// Excess is one place where a document goes past a limit.
type Excess struct {
	Kind   LimitKind
	Offset int // byte offset in the document where it starts
	Line   int // 1-based line of Offset
	Col    int // 1-based byte column of Offset
	// Count is how far past: the nesting depth, the number of headings,
	// lines or rows, or the document's size in bytes.
	Count int
	// Places is how many places of this kind CheckLimits folded into this one.
	Places int
}

// Message says what the renderer does here and what an author can do.
func (e Excess) Message(lim MarkdownLimits) string {
	more := ""
	if e.Places > 1 {
		more = fmt.Sprintf(" (and %d more places like it)", e.Places-1)
	}
	switch e.Kind {
	case LimitBytes:
		return fmt.Sprintf("the lesson text is %d bytes: only the first %d are shown; split it into several lessons", e.Count, lim.Bytes)
	case LimitDepth:
		return fmt.Sprintf("blockquotes and lists nest %d levels deep here%s: at most %d are shown and the rest is flattened into one line; nest less", e.Count, more, lim.Depth)
	case LimitInline:
		return fmt.Sprintf("emphasis nests %d levels deep here%s: at most %d are shown and the rest as plain text; remove the extra * _ or ~", e.Count, more, lim.Inline)
	case LimitHeadings:
		return fmt.Sprintf("this is heading %d: a lesson shows at most %d headings, and from here on they are shown as plain text; split the lesson", e.Count, lim.Headings)
	case LimitCodeLines:
		return fmt.Sprintf("this code block has %d lines%s: only the first %d are shown; shorten it or point to a file", e.Count, more, lim.CodeLines)
	case LimitTableRows:
		return fmt.Sprintf("this table has %d rows%s: only the first %d are shown; shorten it", e.Count, more, lim.TableRows)
	case LimitBlocks:
		return fmt.Sprintf("the lesson is too long to show (more than %d paragraphs, headings, list items, quotes, code lines and table rows, nested ones counting more): from here on it is cut; split it into several lessons or nest less", lim.Blocks)
	case LimitInlines:
		return fmt.Sprintf("the lesson has more than %d emphasised words, code spans, links, images and table cells: from here on it is cut; split it into several lessons", lim.Inlines)
	}
	return string(e.Kind)
}

// Markers are what a reader sees where something was flattened or cut.
const (
	markBytes    = "⋯ (the rest of this lesson is not shown: it is too long)"
	markDepth    = "⋯ (nested too deep, shown flat:)"
	markInline   = "⋯ (emphasis nested too deep, shown as plain text:)"
	markHeadings = "⋯ (too many headings, the rest shown as text:)"
	markBlocks   = "⋯ (the rest of this lesson is not shown: it is too long)"
)

func markCode(n int) string  { return fmt.Sprintf("⋯ (%d more lines not shown)", n) }
func markTable(n int) string { return fmt.Sprintf("| ⋯ (%d more rows not shown) |", n) }

// limitsParser parses as glamour does: CommonMark with GitHub's extensions and
// definition lists. Its Parse is safe for concurrent use.
var limitsParser = sync.OnceValue(func() parser.Parser {
	return goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList)).Parser()
})

// passes is how many times ApplyLimits parses and rewrites before it gives up on
// rewriting and cuts at what is left.
const passes = 3

// ApplyLimits returns md within lim: what goes past a limit is flattened or cut,
// with a marker saying so. A document within the limits comes back as it
// is.
func ApplyLimits(md string, lim MarkdownLimits) string {
	md, _ = apply(md, lim)
	return md
}

// apply is ApplyLimits; converged says the rewrites alone brought md within lim,
// without the last resort of cutting it short.
func apply(md string, lim MarkdownLimits) (_ string, converged bool) {
	md = cutBytes(md, lim)
	for range passes {
		src := []byte(md)
		w := measure(src, lim)
		if len(w.edits) == 0 {
			return md, true
		}
		md = applyEdits(src, w.edits)
	}
	// Rewriting should have left nothing; if it did not, cut the document
	// before the first excess, and if even that is not enough, show only
	// the marker.
	src := []byte(md)
	w := measure(src, lim)
	if len(w.found) == 0 {
		return md, true
	}
	md = string(src[:lineStart(src, w.found[0].Offset)]) + "\n\n" + markBlocks + "\n"
	if w := measure([]byte(md), lim); len(w.found) > 0 {
		return markBlocks + "\n", false
	}
	return md, false
}

// CheckLimits reports where md goes past lim, one Excess per kind at its first
// place (Places says how many there are), in document order.
func CheckLimits(md []byte, lim MarkdownLimits) []Excess {
	var out []Excess
	if len(md) > lim.Bytes {
		at := lineStart(md, lim.Bytes)
		out = append(out, Excess{Kind: LimitBytes, Offset: at, Count: len(md), Places: 1})
		md = md[:at]
	}
	w := measure(md, lim)
	first := map[LimitKind]int{}
	for _, e := range w.found {
		if i, ok := first[e.Kind]; ok {
			out[i].Places++
			out[i].Count = max(out[i].Count, e.Count)
			continue
		}
		first[e.Kind] = len(out)
		e.Places = 1
		out = append(out, e)
	}
	lines := lineIndex(md)
	for i := range out {
		out[i].Line, out[i].Col = position(lines, out[i].Offset)
	}
	slices.SortStableFunc(out, func(a, b Excess) int { return a.Offset - b.Offset })
	return out
}

func cutBytes(md string, lim MarkdownLimits) string {
	if len(md) <= lim.Bytes {
		return md
	}
	return md[:lineStart([]byte(md), lim.Bytes)] + "\n\n" + markBytes + "\n"
}

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// walker measures one parsed document and plans the edits that bring it
// within the limits.
type walker struct {
	src      []byte
	lim      MarkdownLimits
	edits    []edit
	found    []Excess
	depth    int // containers open around the current node
	inline   int // emphasis open around the current node
	blocks   int
	inlines  int
	headings int
	rows     int // rows of the current table so far
	escaped  map[int]bool
	stopped  bool
}

func measure(src []byte, lim MarkdownLimits) *walker {
	w := &walker{src: src, lim: lim, escaped: map[int]bool{}}
	doc := limitsParser().Parse(text.NewReader(src))
	walk(doc, w.enter, w.leave, func() bool { return w.stopped })
	return w
}

// walk visits the tree in document order without recursion: emphasis can
// nest tens of thousands deep. enter says whether to visit a node's
// children; leave is called for every node enter was.
func walk(root ast.Node, enter func(ast.Node) bool, leave func(ast.Node), stop func() bool) {
	n := root.FirstChild()
	for n != nil && !stop() {
		if enter(n) && n.FirstChild() != nil && !stop() {
			n = n.FirstChild()
			continue
		}
		for n != nil {
			leave(n)
			if s := n.NextSibling(); s != nil {
				n = s
				break
			}
			n = n.Parent()
			if n == root {
				n = nil
			}
		}
	}
}

func isContainer(n ast.Node) bool {
	switch n.Kind() {
	case ast.KindBlockquote, ast.KindListItem, extast.KindDefinitionDescription:
		return true
	}
	return false
}

func isEmphasis(n ast.Node) bool {
	return n.Kind() == ast.KindEmphasis || n.Kind() == extast.KindStrikethrough
}

func (w *walker) excess(k LimitKind, off, count int) {
	w.found = append(w.found, Excess{Kind: k, Offset: off, Count: count})
}

// weight is what rendering a leaf block (or a line of one) costs, in
// blocks, at the current depth: each container around it renders it again,
// so nesting costs about the sum of the levels.
func (w *walker) weight() int { return 1 + w.depth*(w.depth+1)/2 }

// spend counts cost blocks at n and cuts the rest of the document once the
// budget is spent.
func (w *walker) spend(n ast.Node, cost int) bool {
	w.blocks += cost
	if w.blocks <= w.lim.Blocks {
		return true
	}
	w.cutRest(LimitBlocks, lineStart(w.src, startOf(n)), w.blocks)
	return false
}

// spendInline counts an inline element and cuts the rest of the document,
// from n on, once the budget for them is spent.
func (w *walker) spendInline(n ast.Node) bool {
	w.inlines++
	if w.inlines <= w.lim.Inlines {
		return true
	}
	w.cutRest(LimitInlines, startOf(n), w.inlines)
	return false
}

func (w *walker) cutRest(k LimitKind, at, count int) {
	w.excess(k, at, count)
	w.edits = append(w.edits, edit{at, len(w.src), "\n\n" + markBlocks + "\n"})
	w.stopped = true
}

func (w *walker) enter(n ast.Node) bool {
	if isContainer(n) {
		w.depth++
		if !w.spend(n, w.depth) {
			return false
		}
		if w.depth > w.lim.Depth {
			w.flatten(n)
			return false
		}
		return true
	}
	if isEmphasis(n) {
		w.inline++
		if !w.spendInline(n) {
			return false
		}
		if w.inline > w.lim.Inline {
			w.plain(n)
			return false
		}
		return true
	}
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		if bytes.HasPrefix(w.src[startOf(n):], []byte(markBlocks)) {
			return false // the cut's own marker
		}
		return w.spend(n, w.weight())
	case *ast.HTMLBlock, *ast.ThematicBreak:
		return w.spend(n, w.weight())
	case *ast.Heading:
		if !w.spend(n, w.weight()) {
			return false
		}
		w.headings++
		if w.headings > w.lim.Headings {
			w.demote(n)
		}
		return true
	case *ast.FencedCodeBlock:
		lang := string(n.Language(w.src))
		if lang == "quiz" || lang == "lab" {
			// Lint sees the lesson file, quiz and lab blocks included; the
			// reader shows a line in their place.
			return w.spend(n, 1)
		}
		return w.code(n)
	case *ast.CodeBlock:
		return w.code(n)
	case *extast.Table:
		w.rows = 0
		return w.table(n)
	case *extast.TableHeader, *extast.TableRow:
		w.rows++
		if w.rows > w.lim.TableRows {
			return false
		}
		return w.spend(n, w.weight())
	case *extast.TableCell, *ast.CodeSpan, *ast.Link, *ast.Image, *ast.AutoLink, *ast.RawHTML:
		return w.spendInline(n)
	}
	return true
}

func (w *walker) leave(n ast.Node) {
	switch {
	case isContainer(n):
		w.depth--
	case isEmphasis(n):
		w.inline--
	}
}

// flatten replaces a container nested too deep, and all it holds, with its
// text on one line.
func (w *walker) flatten(n ast.Node) {
	start := startOf(n)
	deepest := w.depth
	var words []string
	d := w.depth
	walk(n, func(c ast.Node) bool {
		if isContainer(c) {
			d++
			deepest = max(deepest, d)
		}
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			for i := 0; i < c.Lines().Len(); i++ {
				seg := c.Lines().At(i)
				if f := strings.Fields(string(seg.Value(w.src))); len(f) > 0 {
					words = append(words, f...)
				}
			}
		}
		return true
	}, func(c ast.Node) {
		if isContainer(c) {
			d--
		}
	}, func() bool { return false })
	end := blockEnd(w.src, max(start, endOf(n)))
	w.excess(LimitDepth, start, deepest)
	w.edits = append(w.edits, edit{start, end, markDepth + " " + escape(strings.Join(words, " "))})
}

// plain shows emphasis nested too deep as plain text: the emphasis and all
// inside it become its words, escaped, after a marker. When its delimiters
// cannot be found exactly, each delimiter run in it is escaped instead, so
// it shows as typed.
func (w *walker) plain(n ast.Node) {
	deepest, d := w.inline, w.inline
	var words strings.Builder
	walk(n, func(c ast.Node) bool {
		switch c := c.(type) {
		case *ast.Text:
			words.Write(c.Segment.Value(w.src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				words.WriteByte(' ')
			}
		case *ast.String:
			words.Write(c.Value)
		}
		if isEmphasis(c) {
			d++
			deepest = max(deepest, d)
		}
		return true
	}, func(c ast.Node) {
		if isEmphasis(c) {
			d--
		}
	}, func() bool { return false })
	w.excess(LimitInline, max(startOf(n), 0), deepest)
	if start, end, ok := w.span(n); ok {
		w.edits = append(w.edits, edit{start, end, markInline + " " + escape(words.String())})
		return
	}
	w.escapeRun(n.Pos(), markInline+" ")
	walk(n, func(c ast.Node) bool {
		if isEmphasis(c) {
			w.escapeRun(c.Pos(), "")
		}
		return true
	}, func(ast.Node) {}, func() bool { return false })
}

// span finds where emphasis n starts and ends in the source, delimiters
// included. goldmark records only where each delimiter run starts, and
// nested emphasis often shares one run, so the delimiters are counted
// inwards from the text at either end: ok is false unless n's first and
// last leaves are text and the bytes counted are delimiters.
func (w *walker) span(n ast.Node) (start, end int, ok bool) {
	side := func(next func(ast.Node) ast.Node, edge func(*ast.Text) int, dir int) (int, bool) {
		var levels []int
		c := n
		for isEmphasis(c) {
			e, isEm := c.(*ast.Emphasis)
			if !isEm {
				return 0, false // strikethrough keeps no delimiter length
			}
			levels = append(levels, e.Level)
			c = next(c)
		}
		t, isText := c.(*ast.Text)
		if !isText {
			return 0, false
		}
		at := edge(t)
		for _, l := range levels {
			for range l {
				if dir < 0 {
					at--
				}
				if at < 0 || at >= len(w.src) || (w.src[at] != '*' && w.src[at] != '_') {
					return 0, false
				}
				if dir > 0 {
					at++
				}
			}
		}
		return at, true
	}
	start, ok1 := side(ast.Node.FirstChild, func(t *ast.Text) int { return t.Segment.Start }, -1)
	end, ok2 := side(ast.Node.LastChild, func(t *ast.Text) int { return t.Segment.Stop }, +1)
	return start, end, ok1 && ok2 && start < end
}

// escapeRun escapes the delimiter run at p, once, with mark before it.
func (w *walker) escapeRun(p int, mark string) {
	if p < 0 || p >= len(w.src) || w.escaped[p] {
		return
	}
	w.escaped[p] = true
	run := runLength(w.src, p)
	w.edits = append(w.edits, edit{p, p + run, mark + escape(string(w.src[p:p+run]))})
}

// demote shows a heading past the limit as a paragraph.
func (w *walker) demote(n *ast.Heading) {
	p := n.Pos()
	if p < 0 {
		return
	}
	mark := ""
	if w.headings == w.lim.Headings+1 && !bytes.HasPrefix(w.src[p:], []byte(markHeadings)) {
		mark = markHeadings + " "
		w.excess(LimitHeadings, p, w.headings)
	}
	if p < len(w.src) && w.src[p] == '#' {
		// A blank line after it, or the lines run into one paragraph.
		end := blockEnd(w.src, p+1)
		w.edits = append(w.edits, edit{p, p, mark + `\`}, edit{end, end, "\n"})
		return
	}
	// A setext heading: escape its underline, the first line from the
	// heading on that holds only its '=' or '-' (inside any quote markers).
	ch := byte('=')
	if n.Level == 2 {
		ch = '-'
	}
	for at := lineStart(w.src, p); at < len(w.src); {
		end := blockEnd(w.src, at+1)
		line := string(w.src[at:end])
		if t := strings.Trim(line, " \t\r>"); t != "" && strings.Trim(t, string(ch)) == "" {
			i := at + strings.IndexByte(line, ch)
			w.edits = append(w.edits, edit{p, p, mark}, edit{i, i, `\`})
			return
		}
		at = end + 1
		for at < len(w.src) && w.src[at-1] != '\n' {
			at++
		}
	}
}

// code counts a code block's lines and cuts those past the limit.
func (w *walker) code(n ast.Node) bool {
	lines := n.Lines()
	if lines.Len() > w.lim.CodeLines {
		// The marker takes the place of the last line shown.
		keep := w.lim.CodeLines - 1
		cut := lines.At(keep).Start
		end := blockEnd(w.src, lines.At(lines.Len()-1).Stop)
		w.excess(LimitCodeLines, startOf(n), lines.Len())
		w.edits = append(w.edits, edit{cut, end, markCode(lines.Len() - keep)})
	}
	w.spend(n, max(1, min(lines.Len(), w.lim.CodeLines))*w.weight())
	return false
}

// table cuts the rows of a table past the limit; enter counts the rest.
func (w *walker) table(n *extast.Table) bool {
	rows := n.ChildCount()
	if rows <= w.lim.TableRows {
		return true
	}
	// The marker takes the place of the last row shown.
	keep := w.lim.TableRows - 1
	c := n.FirstChild()
	for range keep {
		c = c.NextSibling()
	}
	cut := startOf(c)
	end := blockEnd(w.src, endOf(n))
	w.excess(LimitTableRows, startOf(n), rows)
	w.edits = append(w.edits, edit{cut, end, markTable(rows - keep)})
	return true
}

// startOf is where a node starts in the source.
func startOf(n ast.Node) int {
	for c := n; c != nil; c = c.FirstChild() {
		if p := c.Pos(); p >= 0 {
			return p
		}
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			return c.Lines().At(0).Start
		}
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	return 0
}

// endOf is where the last text of a node ends in the source.
func endOf(n ast.Node) int {
	end := startOf(n)
	walk(n, func(c ast.Node) bool {
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			end = max(end, c.Lines().At(c.Lines().Len()-1).Stop)
		}
		if t, ok := c.(*ast.Text); ok {
			end = max(end, t.Segment.Stop)
		}
		return true
	}, func(ast.Node) {}, func() bool { return false })
	if c := n.Lines(); n.Type() == ast.TypeBlock && c.Len() > 0 {
		end = max(end, c.At(c.Len()-1).Stop)
	}
	return end
}

// blockEnd is the end of the line holding the byte before off (or off
// itself when it starts a line), without its line break.
func blockEnd(src []byte, off int) int {
	off = min(off, len(src))
	if off > 0 && src[off-1] == '\n' {
		off--
	} else {
		for off < len(src) && src[off] != '\n' {
			off++
		}
	}
	if off > 0 && src[off-1] == '\r' {
		off--
	}
	return off
}

// lineStart is the start of the line holding off.
func lineStart(src []byte, off int) int {
	off = min(off, len(src))
	for off > 0 && src[off-1] != '\n' {
		off--
	}
	return off
}

// runLength is how many times the byte at p repeats from p on.
func runLength(src []byte, p int) int {
	n := 1
	for p+n < len(src) && src[p+n] == src[p] {
		n++
	}
	return n
}

// escape makes text show as typed: every ASCII punctuation character gets
// a backslash, which CommonMark allows before any of them.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// applyEdits makes the edits in source order. An edit that starts inside
// the text an earlier one replaced is dropped: that text is gone (a cut of
// the rest of the document replaces a code block cut inside it).
func applyEdits(src []byte, edits []edit) string {
	slices.SortStableFunc(edits, func(a, b edit) int { return a.start - b.start })
	var b strings.Builder
	b.Grow(len(src))
	at := 0
	for _, e := range edits {
		if e.start < at {
			continue // inside what an edit before it replaced
		}
		b.Write(src[at:e.start])
		b.WriteString(e.text)
		at = max(e.end, e.start)
	}
	b.Write(src[min(at, len(src)):])
	return b.String()
}

func position(lines []int, off int) (line, col int) {
	i, found := slices.BinarySearch(lines, off)
	if !found {
		i--
	}
	return i + 1, off - lines[i] + 1
}
