// Package render turns lesson markdown into terminal text: styled for a
// terminal, or plain, with no escape sequences, for pipes, files and
// screen readers. It is used by the TUI (inside commands, never in Update
// or View) and by `serverside read`.
//
// It walks goldmark's syntax tree itself rather than through glamour, on
// purpose: glamour kept the source's line breaks inside list items, cut
// code and URLs at any "-" or ".", and spent most of a render wrapping
// text through lipgloss and highlighting code that plain output then
// stripped. Here text is wrapped once, as words, before any style is
// applied; code is never wrapped; plain output never touches a colour.
package render

import (
	"fmt"
	"runtime"
	"serverside/lessons"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Theme names a look.
type Theme string

const (
	Dark     Theme = "dark"
	Light    Theme = "light"
	Contrast Theme = "contrast" // high contrast: plain colours, bold emphasis
	Plain    Theme = "plain"    // no escape sequences at all
)

// ParseTheme reads --theme values; "auto" and "" return ok=false so the
// caller can ask the terminal.
func ParseTheme(s string) (Theme, bool, error) {
	switch strings.ToLower(s) {
	case "", "auto":
		return "", false, nil
	case "dark":
		return Dark, true, nil
	case "light":
		return Light, true, nil
	case "contrast", "high-contrast":
		return Contrast, true, nil
	case "plain", "none":
		return Plain, true, nil
	}
	return "", false, fmt.Errorf("unknown theme %q: use auto, dark, light, contrast or plain", s)
}

// Options say how to render a document.
type Options struct {
	Width int // columns, at least 10
	Theme Theme
	// CutWide cuts a code line wider than the text with "…" at its end,
	// and a URL wider than a line where the line ends, for a view that
	// can't let a line run on. Without it they run on past the width,
	// whole, so a command or a URL copies intact.
	CutWide bool
	// Links, when set, is asked about every link and image destination:
	// a link to a lesson shows the lesson's title, a link to a file of
	// the course its path. ok=false leaves the destination as written.
	Links func(dest string, image bool) (t Target, ok bool)
}

// markdown is goldmark set up as lessons are written: GitHub's tables,
// strikethrough, task lists and bare links, and definition lists. A
// goldmark parser keeps no state between documents.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList))
})

// Render renders md. It is the one entry point for documents: every
// render, styled or plain, whole lesson or lab spec, comes through here
// (and Text's question text through layout, below it).
func Render(md string, o Options) (string, error) {
	o.Width = clampWidth(o.Width)
	p := paletteFor(o.Theme)
	lines := layout(md, p, o, nil, max(o.Width, 10)-p.margin)

	var b strings.Builder
	b.Grow(len(md) * 2)
	margin := strings.Repeat(" ", p.margin)
	if !p.plain {
		b.WriteByte('\n')
	}
	for _, l := range lines {
		if s := strings.TrimRight(l.s, " "); s != "" {
			b.WriteString(margin)
			b.WriteString(s)
		}
		b.WriteByte('\n')
	}
	return TerminalSafe(b.String(), !p.plain), nil
}

// layout parses md and lays it out in lines of width columns.
func layout(md string, p *palette, o Options, paint func(Mark, string) string, width int) []line {
	// Markdown decodes character references such as "&#x1b;" at render
	// time, after lesson text was sanitised: neutralise them first, and
	// keep only the escapes the renderer itself writes afterwards.
	// What goes past lessons.DefaultLimits (nesting, headings, code and table
	// lines, size) is flattened or cut with a marker first, so one render
	// stays within time and memory whatever md holds.
	md = NeutralizeCharRefs(lessons.ApplyLimits(md, lessons.DefaultLimits))
	src := []byte(md)
	doc := markdown().Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext()))
	r := &renderer{src: src, p: p, opts: o, paint: paint, resolve: func(string, bool) (Target, bool) { return Target{}, false }}
	if o.Links != nil {
		r.resolve = o.Links
	}
	return r.document(doc, width)
}

// Text renders a question's text (its prompt, a choice, an explanation, a
// hint), written in the same markdown as lessons, for the quiz: wrapped to
// width columns (0: not wrapped), with no margin and no blank lines around
// it. paint styles each run of text by what it is; nil gives plain text,
// with no markdown markers and no escape sequences, for `quiz --plain`.
func Text(md string, width int, paint func(m Mark, text string) string) string {
	if width <= 0 {
		width = 1 << 20
	}
	var b strings.Builder
	for i, l := range layout(md, markPalette, Options{}, paint, width) {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimRight(l.s, " "))
	}
	return TerminalSafe(b.String(), paint != nil)
}

// Markdown renders md wrapped to width columns.
func Markdown(md string, width int, theme Theme) (string, error) {
	return Render(md, Options{Width: width, Theme: theme})
}

// parallelFrom is the size from which a document's top-level blocks are
// rendered on every core: below it, starting goroutines costs more than
// it saves.
const parallelFrom = 8 << 10

// document renders the top-level blocks of doc. They don't depend on each
// other, so a long document is cut into runs of blocks of about equal
// size, each rendered by its own goroutine, and the runs' lines joined in
// order: the same lines as one goroutine would make.
func (r *renderer) document(doc ast.Node, width int) []line {
	workers := runtime.GOMAXPROCS(0)
	if len(r.src) < parallelFrom || workers < 2 || doc.ChildCount() < 2 {
		return r.block(doc, width, 0)
	}
	var blocks []ast.Node
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		blocks = append(blocks, c)
	}
	// Runs of blocks of about len(src)/workers bytes each, by where the
	// blocks start in the source.
	per := len(r.src)/workers + 1
	var runs [][]ast.Node
	start, size := 0, 0
	for i, b := range blocks {
		next := len(r.src)
		if i+1 < len(blocks) {
			next = blockStart(blocks[i+1], next)
		}
		size += next - blockStart(b, next)
		if size >= per || i == len(blocks)-1 {
			runs = append(runs, blocks[start:i+1])
			start, size = i+1, 0
		}
	}
	out := make([][]line, len(runs))
	var wg sync.WaitGroup
	for i, run := range runs {
		wg.Go(func() {
			var lines []line
			for _, b := range run {
				bl := r.block(b, width, 1)
				if len(bl) == 0 {
					continue
				}
				if len(lines) > 0 {
					lines = append(lines, line{})
				}
				lines = append(lines, bl...)
			}
			out[i] = lines
		})
	}
	wg.Wait()
	var lines []line
	for _, run := range out {
		if len(run) == 0 {
			continue
		}
		if len(lines) > 0 {
			lines = append(lines, line{})
		}
		lines = append(lines, run...)
	}
	return lines
}

// blockStart is where block n starts in the source, or def when it has no
// lines of its own (a list, a quote: their first descendant's).
func blockStart(n ast.Node, def int) int {
	for ; n != nil; n = n.FirstChild() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return def
}
