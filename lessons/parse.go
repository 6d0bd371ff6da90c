package lessons

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"
)

// lazyRegexp compiles pattern the first time it is asked for: compiled at
// package init, this package's regexps were paid for by every start of the
// binary, which parses nothing when the built-in course comes parsed.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

// idPattern is what lesson and question ids look like: stable, readable
// keys that survive file renames.
var idPattern = lazyRegexp(`^[a-z0-9]+(-[a-z0-9]+)*$`)

var frontMatterKeys = []string{"id", "title", "summary", "minutes"}

// markdown is shared by every parse: building a goldmark parser costs more
// than parsing a short lesson, and its Parse is safe for concurrent use (it
// sets itself up once, under a sync.Once, and keeps per-parse state in a
// fresh context).
var markdown = sync.OnceValue(func() parser.Parser { return goldmark.New().Parser() })

// ParseLesson parses one lesson file. relPath is its slash path relative to
// the course root (used to resolve links), displayPath is how problems name
// it. A lesson is returned whenever the front matter yields one, even when
// problems were found; callers decide whether error problems make it broken.
func ParseLesson(displayPath, relPath string, src []byte) (*Lesson, []Problem) {
	p := &lessonParser{display: displayPath, rel: relPath, src: src}
	return p.parse()
}

type lessonParser struct {
	display string
	rel     string
	src     []byte
	probs   []Problem
	lines   int // lines in src, counted when first needed
}

func (p *lessonParser) errorf(line, col int, format string, args ...any) {
	p.problem(line, col, Error, format, args...)
}

func (p *lessonParser) warnf(line, col int, format string, args ...any) {
	p.problem(line, col, Warning, format, args...)
}

// problem records a problem. Some point at the line after a fence or the
// front matter, which a file ending there does not have: those point at its
// last line instead.
func (p *lessonParser) problem(line, col int, sev Severity, format string, args ...any) {
	if p.lines == 0 {
		p.lines = bytes.Count(p.src, []byte("\n")) + 1
	}
	if line > p.lines {
		line, col = p.lines, 1
	}
	p.probs = append(p.probs, Problem{Path: p.display, Line: max(line, 1), Col: max(col, 1), Severity: sev, Message: fmt.Sprintf(format, args...)})
}

func (p *lessonParser) parse() (*Lesson, []Problem) {
	src := p.src
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		src = src[3:]
	}
	p.checkControlChars(src)
	l := &Lesson{Path: p.rel, Source: string(src)}

	fm, body, bodyLine, ok := splitFrontMatter(src)
	if !ok {
		p.errorf(1, 1, "no front matter: start the file with a line '---', then 'id: …' and 'title: …', then a line '---'")
		return nil, p.probs
	}
	if fm == nil {
		p.errorf(1, 1, "front matter is not closed: add a line '---' after the last key")
		return nil, p.probs
	}
	p.parseFrontMatter(l, fm)
	p.parseBody(l, body, bodyLine)
	p.checkBounds(l, body, bodyLine)
	if l.ID == "" || l.Title == "" {
		return nil, p.probs
	}
	return l, p.probs
}

// splitFrontMatter returns the YAML between the leading '---' lines, the
// rest of the file, and the 1-based line the rest starts on. ok is false
// when the file has no front matter at all; fm is nil when it is unclosed.
func splitFrontMatter(src []byte) (fm, body []byte, bodyLine int, ok bool) {
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	if strings.TrimRight(string(first), " \r") != "---" {
		return nil, src, 1, false
	}
	line := 2
	off := len(first) + 1
	for len(rest) > 0 {
		l, next, found := bytes.Cut(rest, []byte("\n"))
		t := strings.TrimRight(string(l), " \r")
		if t == "---" || t == "..." {
			fm = src[len(first)+1 : off]
			if fm == nil {
				fm = []byte{}
			}
			return fm, next, line + 1, true
		}
		off += len(l) + 1
		line++
		if !found {
			break
		}
		rest = next
	}
	return nil, nil, 0, true
}

func (p *lessonParser) parseFrontMatter(l *Lesson, fm []byte) {
	var doc yaml.Node
	// Control characters are reported by checkControlChars; made safe here
	// so the YAML around them still parses.
	if err := yaml.Unmarshal([]byte(Sanitize(string(fm))), &doc); err != nil {
		line, msg := yamlErrorLine(err)
		p.errorf(1+line, 1, "front matter is not valid YAML: %s", msg)
		return
	}
	if len(doc.Content) == 0 {
		l.ID, l.Title = suggestID(pageName(p.rel)), titleFromName(pageName(p.rel))
		l.idLine, l.idCol = 1, 1
		p.warnf(1, 1, "front matter is empty: using id %q and title %q from the file name; add 'id: …' and 'title: …'", l.ID, l.Title)
		return
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		p.errorf(1+m.Line, m.Column, "front matter must be 'key: value' lines")
		return
	}
	off := 1 // the opening '---' is line 1, YAML line 1 is file line 2
	seen := map[string]bool{}
	titleLine, titleCol, titleReported := 1, 1, false
	var foreign []string
	var foreignAt [2]int
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		line, col := off+k.Line, k.Column
		if seen[k.Value] {
			p.errorf(line, col, "front matter key %q appears twice", k.Value)
		}
		seen[k.Value] = true
		switch k.Value {
		case "id":
			l.ID = scalar(v)
			l.idLine, l.idCol = off+v.Line, v.Column
			if !idPattern().MatchString(l.ID) {
				p.errorf(off+v.Line, v.Column, "lesson id %q must be lowercase letters, digits and dashes, e.g. %q", l.ID, suggestID(l.ID))
				l.ID = ""
			}
		case "title":
			l.Title = Sanitize(strings.TrimSpace(scalar(v)))
			titleLine, titleCol = off+v.Line, v.Column
			if v.Kind != yaml.ScalarNode {
				p.errorf(off+v.Line, v.Column, "%s must be plain text, not a list or a mapping (quote it if it contains ': ' or starts with '[')", k.Value)
				titleReported = true
			}
		case "summary":
			l.Summary = Sanitize(strings.TrimSpace(scalar(v)))
			if v.Kind != yaml.ScalarNode {
				p.errorf(off+v.Line, v.Column, "%s must be plain text, not a list or a mapping (quote it if it contains ': ' or starts with '[')", k.Value)
			}
		case "minutes":
			n, err := strconv.Atoi(scalar(v))
			if err != nil || n < 0 {
				p.errorf(off+v.Line, v.Column, "minutes must be a whole number of minutes, not %q", scalar(v))
			}
			l.Minutes = n
		default:
			p.foreignKey(line, col, k.Value, &foreign, &foreignAt)
		}
	}
	if len(foreign) > 0 {
		p.warnf(foreignAt[0], foreignAt[1], "front matter keys serverside does not use are ignored: %s (it reads %s)", strings.Join(foreign, ", "), strings.Join(frontMatterKeys, ", "))
	}
	// Material brought from elsewhere (MDN, a documentation site) often has
	// a title but no id, or neither: the lesson still loads, named after
	// its file (its folder for index.md), and lint says how to make the
	// name last.
	if !seen["id"] {
		l.ID = suggestID(pageName(p.rel))
		l.idLine, l.idCol = 1, 1
		p.warnf(1, 1, "front matter has no id: using %q from the file name; add 'id: %s' so progress survives renaming the file", l.ID, l.ID)
	}
	if !seen["title"] {
		l.Title = titleFromName(pageName(p.rel))
		p.warnf(1, 1, "front matter has no title: using %q from the file name; add 'title: …' to choose your own", l.Title)
	} else if l.Title == "" && !titleReported {
		p.errorf(titleLine, titleCol, "title is empty: give the lesson a title (plain text, as the course map shows it)")
	}
}

func (p *lessonParser) unknownKey(line, col int, where, key string, known []string) {
	if s := closest(key, known); s != "" {
		p.errorf(line, col, "unknown %s key %q: did you mean %q?", where, key, s)
		return
	}
	p.errorf(line, col, "unknown %s key %q (known keys: %s)", where, key, strings.Join(known, ", "))
}

// foreignKey notes a front matter key serverside does not use. Pages from
// other tools carry their own (MDN's slug, page-type, sidebar): those are
// ignored, with one warning for them all, while a near miss of a key
// serverside knows (titel) is an error, since the author meant that key.
func (p *lessonParser) foreignKey(line, col int, key string, foreign *[]string, at *[2]int) {
	if s := closest(key, frontMatterKeys); s != "" {
		p.errorf(line, col, "unknown front matter key %q: did you mean %q?", key, s)
		return
	}
	if len(*foreign) == 0 {
		*at = [2]int{line, col}
	}
	*foreign = append(*foreign, key)
}

// pageName is the name a lesson file gives its lesson when the front
// matter doesn't: the file name without .md, or the folder's name for an
// index.md, as documentation sites lay out one folder per page.
func pageName(rel string) string {
	base := strings.TrimSuffix(path.Base(rel), ".md")
	if strings.EqualFold(base, "index") {
		if dir := path.Dir(rel); dir != "." && dir != "/" {
			return path.Base(dir)
		}
	}
	return base
}

// block is a quiz or lab fence found in the body.
type block struct {
	kind       string // "quiz" or "lab"
	start, end int    // byte range in body, fences included
	content    []byte
	line       int // file line of the opening fence
}

func (p *lessonParser) parseBody(l *Lesson, body []byte, bodyLine int) {
	doc := markdown().Parse(text.NewReader(body))
	lineStarts := lineIndex(body)
	fileLine := func(off int) int { return bodyLine + sort.SearchInts(lineStarts, off+1) - 1 }
	fileCol := func(off int) int {
		i := sort.SearchInts(lineStarts, off+1) - 1
		return off - lineStarts[i] + 1
	}

	var blocks []block
	type rawHeading struct {
		level int
		text  string
		off   int
	}
	var heads []rawHeading
	type rawLink struct {
		dest  string
		off   int
		image bool
	}
	var links []rawLink
	type rawHTML struct {
		text []byte
		off  int
	}
	var htmls []rawHTML

	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock:
			lang := string(n.Language(body))
			if lang != "quiz" && lang != "lab" {
				return ast.WalkSkipChildren, nil
			}
			infoStart := n.Info.Segment.Start
			start := bytes.LastIndexByte(body[:infoStart], '\n') + 1
			var content bytes.Buffer
			end := lineEnd(body, infoStart)
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				content.Write(seg.Value(body))
				end = seg.Stop
			}
			end = closingFenceEnd(body, end, body[start:infoStart])
			blocks = append(blocks, block{kind: lang, start: start, end: end, content: content.Bytes(), line: fileLine(start)})
			return ast.WalkSkipChildren, nil
		case *ast.Heading:
			var t strings.Builder
			headingText(n, body, &t)
			off := 0
			if n.Lines().Len() > 0 {
				off = n.Lines().At(0).Start
			}
			heads = append(heads, rawHeading{level: n.Level, text: Sanitize(strings.TrimSpace(t.String())), off: off})
		case *ast.Link:
			links = append(links, rawLink{dest: string(n.Destination), off: nodeOffset(n, body)})
		case *ast.Image:
			off := nodeOffset(n, body)
			if off >= 2 && body[off] == '[' && body[off-1] == '!' {
				off-- // point at the '!' that opens the image
			}
			links = append(links, rawLink{dest: string(n.Destination), off: off, image: true})
		case *ast.HTMLBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				htmls = append(htmls, rawHTML{text: seg.Value(body), off: seg.Start})
			}
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				htmls = append(htmls, rawHTML{text: seg.Value(body), off: seg.Start})
			}
		}
		return ast.WalkContinue, nil
	})

	// Build the rendered body without the quiz and lab blocks, remembering
	// where each stood so the reader can ask questions in place.
	var out strings.Builder
	out.Grow(len(body))
	prev := 0
	// removed[i] is how many bytes the first i blocks take; blocks come in
	// file order and don't overlap, so their ends are sorted too.
	removed := make([]int, len(blocks)+1)
	for i, b := range blocks {
		removed[i+1] = removed[i] + b.end - b.start
	}
	shift := func(off int) int { // body offset -> output offset
		n := sort.Search(len(blocks), func(i int) bool { return blocks[i].end > off })
		return off - removed[n]
	}
	qids := map[string]int{}
	lids := map[string]int{}
	for _, b := range blocks {
		out.Write(body[prev:b.start])
		prev = b.end
		at := out.Len()
		switch b.kind {
		case "quiz":
			if q := p.parseQuestion(b.content, b.line); q != nil {
				q.Offset = at
				if first, dup := qids[q.ID]; dup {
					p.errorf(b.line+1, 1, "question id %q is already used at line %d: question ids must be unique in a lesson", q.ID, first)
				} else {
					qids[q.ID] = b.line
					l.Questions = append(l.Questions, q)
				}
			}
		case "lab":
			if lab := p.parseLab(b.content, b.line); lab != nil {
				lab.Offset = at
				if first, dup := lids[lab.ID]; dup {
					p.errorf(b.line+1, 1, "lab id %q is already used at line %d", lab.ID, first)
				} else {
					lids[lab.ID] = b.line
					l.Labs = append(l.Labs, lab)
				}
			}
		}
	}
	out.Write(body[prev:])
	l.Body = Sanitize(out.String())

	for _, h := range heads {
		l.Headings = append(l.Headings, Heading{Level: h.level, Text: h.text, Offset: shift(h.off)})
	}
	// HTML in the markdown: <img src> must lead to a file, and id or name
	// attributes are anchors a #fragment may point at.
	for _, h := range htmls {
		for _, m := range htmlImgSrc().FindAllSubmatchIndex(h.text, -1) {
			links = append(links, rawLink{dest: string(h.text[m[2]:m[3]]), off: h.off + m[0], image: true})
		}
		for _, m := range htmlAnchor().FindAllSubmatch(h.text, -1) {
			l.anchors = append(l.anchors, string(m[1]))
		}
	}
	seenSlug := map[string]int{}
	for _, h := range heads {
		l.anchors = append(l.anchors, headingSlug(h.text, seenSlug))
	}
	for _, k := range links {
		r, ok := resolveRef(p.rel, k.dest)
		if !ok {
			continue
		}
		r.Line, r.Col, r.image = fileLine(k.off), fileCol(k.off), k.image
		l.refs = append(l.refs, r)
		if !k.image && r.Path != p.rel && strings.HasSuffix(r.Path, ".md") {
			l.Links = append(l.Links, r.Link)
		}
	}
	if !hasText(l.Body) && len(l.Questions) == 0 {
		p.errorf(bodyLine, 1, "lesson is empty: write its text below the front matter")
	}
}

// hasText reports whether the body has a line that is not blank and not a
// heading, so a lesson holding only a title still counts as empty.
func hasText(body string) bool {
	for line := range strings.Lines(body) {
		t := strings.TrimSpace(line)
		if t != "" && !strings.HasPrefix(t, "#") {
			return true
		}
	}
	return false
}

func headingText(n ast.Node, src []byte, b *strings.Builder) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		default:
			headingText(c, src, b)
		}
	}
}

// nodeOffset finds a byte offset for an inline node: that of its first text
// descendant, or of its parent block's first line.
func nodeOffset(n ast.Node, src []byte) int {
	var off = -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off >= 0 {
		// Point at the '[' that opens the link text when it is there.
		if off > 0 && src[off-1] == '[' {
			off--
		}
		return off
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

func lineIndex(b []byte) []int {
	starts := []int{0}
	for i, c := range b {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func lineEnd(b []byte, off int) int {
	if i := bytes.IndexByte(b[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(b)
}

// closingFenceEnd returns the end of the closing fence that follows the
// content ending at off, or off when the block runs to the end of input.
// opener is the text of the opening line before the info string.
func closingFenceEnd(b []byte, off int, opener []byte) int {
	fence := strings.TrimLeft(string(opener), " ")
	if fence == "" {
		return off
	}
	ch := fence[0]
	n := len(fence) - len(strings.TrimLeft(fence, string(ch)))
	for off < len(b) {
		end := lineEnd(b, off)
		t := strings.TrimSpace(string(b[off:end]))
		if len(t) >= n && strings.Trim(t, string(ch)) == "" {
			return end
		}
		if t != "" {
			return off
		}
		off = end
	}
	return off
}

var (
	htmlImgSrc = lazyRegexp(`(?i)<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']`)
	htmlAnchor = lazyRegexp(`(?i)\b(?:id|name)\s*=\s*["']([^"']+)["']`)
	uriScheme  = lazyRegexp(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// ref is a link or image in a lesson body that leads to a place in the
// course, for lint to check once every file is known.
type ref struct {
	Link
	fragment string // after '#', decoded; "" when none
	image    bool
}

// resolveRef resolves a link destination written in the lesson at rel to a
// slash path relative to the course root. ok is false for what lint leaves
// alone: links with a scheme (https:, mailto:), absolute paths, and links
// that leave the course folder. A link within the page resolves to rel.
func resolveRef(rel, dest string) (ref, bool) {
	dest = strings.TrimSpace(dest)
	if dest == "" || uriScheme().MatchString(dest) || strings.HasPrefix(dest, "/") {
		return ref{}, false
	}
	target, frag, _ := strings.Cut(dest, "#")
	target, _, _ = strings.Cut(target, "?")
	// Percent-encoded names are decoded, unless that would make a control
	// character (%1b): lint prints the path it looked for.
	if t, err := url.PathUnescape(target); err == nil && !strings.ContainsFunc(t, IsControl) {
		target = t
	}
	if f, err := url.PathUnescape(frag); err == nil && !strings.ContainsFunc(f, IsControl) {
		frag = f
	}
	resolved := rel
	if target != "" {
		resolved = path.Clean(path.Join(path.Dir(rel), target))
	}
	if resolved == ".." || strings.HasPrefix(resolved, "../") {
		return ref{}, false
	}
	return ref{Link: Link{Target: dest, Path: resolved}, fragment: frag}, true
}

// headingSlug is the anchor GitHub gives a heading: lower case, spaces as
// dashes, punctuation dropped; a repeated heading gets -1, -2, ...
func headingSlug(text string, seen map[string]int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(text)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		}
	}
	slug := b.String()
	if n := seen[slug]; n > 0 {
		seen[slug] = n + 1
		slug = fmt.Sprintf("%s-%d", slug, n)
	} else {
		seen[slug] = 1
	}
	return slug
}

var yamlLineRE = lazyRegexp(`^yaml: line (\d+): (.*)$`)

// yamlErrorLine pulls the 1-based line out of a YAML error, so problems can
// point at the file line; 1 when the error names none.
func yamlErrorLine(err error) (int, string) {
	msg := err.Error()
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = "yaml: " + te.Errors[0]
	}
	if strings.Contains(msg, "mapping values are not allowed") {
		msg += " (a value that contains ': ' must be quoted)"
	}
	if m := yamlLineRE().FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		// For an unclosed flow collection the YAML library names the line
		// before the one that opened it; point at the opening line.
		if strings.HasPrefix(m[2], "did not find expected") {
			n++
		}
		return n, m[2]
	}
	return 1, strings.TrimPrefix(msg, "yaml: ")
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// hashQuestion identifies what a question asks and accepts. Whitespace and
// the order of keys in the file don't change it; a new prompt, choice or
// answer does.
func hashQuestion(q *Question) string {
	h := sha256.New()
	w := func(parts ...string) {
		for _, s := range parts {
			h.Write([]byte(strings.Join(strings.Fields(s), " ")))
			h.Write([]byte{0})
		}
	}
	w(string(q.Type), q.Prompt)
	w(q.Choices...)
	for _, c := range q.Correct {
		w(strconv.Itoa(c))
	}
	w(strconv.FormatBool(q.Bool))
	w(q.Accepted...)
	w(q.Pattern, strconv.FormatFloat(q.Number, 'g', -1, 64), strconv.FormatFloat(q.Tolerance, 'g', -1, 64), strconv.FormatBool(q.Relative), q.Unit)
	w(q.Items...)
	w(q.Explain)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// suggestID turns anything into a valid id, for messages.
func suggestID(s string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	dash := false
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-")
	// Drop an ordering prefix such as "01-".
	if i := strings.IndexByte(out, '-'); i > 0 {
		if _, err := strconv.Atoi(out[:i]); err == nil {
			out = out[i+1:]
		}
	}
	if out == "" {
		return "my-lesson"
	}
	return out
}

// closest returns the known word nearest to s when it is a likely typo.
func closest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		d := editDistance(s, k)
		if d < bestD || (d == bestD && best == "") {
			if d <= max(1, len(k)/3) {
				best, bestD = k, d
			}
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			// A swap of two neighbours ("titel") counts as one edit.
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
