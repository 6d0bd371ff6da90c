// Package search finds text across a whole course: lesson titles,
// summaries, bodies and question prompts. It is pure and in memory: Build
// projects every lesson once to the plain text a learner reads and records
// where each of its words starts; Find compares a query's words only with
// the words that begin as they do, fast enough to run on every key press.
// It knows nothing of terminals.
package search

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"serverside/lessons"
)

// Place says where in a lesson a result stands.
type Place int

const (
	InBody Place = iota
	InHeading
	InQuestion // a question's prompt or one of its choices
	InTitle
	InSummary
)

func (p Place) String() string {
	switch p {
	case InHeading:
		return "heading"
	case InQuestion:
		return "question"
	case InTitle:
		return "title"
	case InSummary:
		return "summary"
	}
	return "text"
}

// Span is a byte range [Start, End) of a string.
type Span struct{ Start, End int }

// Result is one lesson that holds every word of the query, at the place
// that matches best.
type Result struct {
	LessonID, LessonTitle string
	// Heading is the nearest heading above the match ("" above the first
	// one, and for matches in the title or summary).
	Heading string
	Place   Place
	// QuestionID names the question when Place is InQuestion.
	QuestionID string
	// Snippet is one line of text around the match, markup dropped and
	// whitespace folded, with "…" where it was cut.
	Snippet string
	// Match is where the best-placed query word stands in Snippet; Marks
	// are every query word found in Snippet, in order, Match among them.
	Match Span
	Marks []Span
	// Offset is the byte offset in Lesson.Body of the match (for a
	// question, where the question stands; 0 for the title and summary).
	Offset int
	// Phrase is what to look for in the lesson to land at this match: the
	// query words as they stand together there, or the rarest of them
	// when they stand apart.
	Phrase string
	// Places is how many blocks of the lesson (paragraphs, headings,
	// questions, …) hold every word of the query.
	Places int
	Score  float64
}

// Index is a course made searchable. It is read-only once built, so Find
// may run on several goroutines at once.
type Index struct {
	course *lessons.Course
	docs   []doc
}

// doc is one lesson, projected and indexed.
type doc struct {
	lesson  *lessons.Lesson
	orig    string // the projected text as written
	text    string // orig folded to lower case, byte for byte
	segs    []segment
	anchors []anchor
	// starts holds where every word of text starts, grouped by its first
	// byte's bucket (see bucket): those of bucket b are
	// starts[first[b]:first[b+1]], ascending. A term is only compared with
	// the words that begin as it does.
	first  [buckets + 1]int32
	starts []int32
}

// Build indexes every lesson of c. Broken lesson files have no text and
// are left out.
func Build(c *lessons.Course) *Index {
	ix := &Index{course: c}
	if c == nil {
		return ix
	}
	ls := c.Lessons()
	ix.docs = make([]doc, len(ls))
	// Each lesson is indexed on its own, so every core can take some.
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(ls)) {
		wg.Go(func() {
			for i := range next {
				ix.docs[i] = project(ls[i])
				ix.docs[i].indexWords()
			}
		})
	}
	for i := range ls {
		next <- i
	}
	close(next)
	wg.Wait()
	return ix
}

// Word starts are grouped by first byte: a digit, a letter a to z, or
// anything else (a non-ASCII letter).
const buckets = 10 + 26 + 1

func bucket(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return 10 + int(c-'a')
	}
	return buckets - 1
}

// indexWords fills first and starts from text.
func (d *doc) indexWords() {
	all := make([]int32, 0, len(d.text)/5)
	eachWord(d.text, func(start, _ int) {
		all = append(all, int32(start))
		d.first[bucket(d.text[start])+1]++
	})
	for b := 1; b <= buckets; b++ {
		d.first[b] += d.first[b-1]
	}
	fill := d.first
	d.starts = make([]int32, len(all))
	for _, p := range all {
		b := bucket(d.text[p])
		d.starts[fill[b]] = p
		fill[b]++
	}
}

// Course is the course the index was built from, so a caller can tell
// when the course has been reloaded and the index is out of date.
func (ix *Index) Course() *lessons.Course { return ix.course }

// Lessons is how many lessons the index holds.
func (ix *Index) Lessons() int { return len(ix.docs) }

func project(l *lessons.Lesson) doc {
	size := len(l.Title) + len(l.Summary) + len(l.Body) + 2
	for _, q := range l.Questions {
		size += len(q.Prompt) + 1
		for _, c := range q.Choices {
			size += len(c) + 1
		}
	}
	p := &projector{out: make([]byte, 0, size)}
	p.begin(InTitle, -1, 0)
	p.inlineText(l.Title)
	p.end()
	if l.Summary != "" {
		p.begin(InSummary, -1, 0)
		p.inlineText(l.Summary)
		p.end()
	}
	heads := make([]int, len(l.Headings))
	for i, h := range l.Headings {
		heads[i] = h.Offset
	}
	p.mapping = true
	p.markdown(l.Body, 0, InBody, -1, heads)
	p.mapping = false
	if len(p.segs) > 0 && p.segs[0].place == InTitle {
		title := fold(string(p.out[p.segs[0].start:p.segs[0].end]))
		for i, sg := range p.segs {
			if sg.place == InHeading && fold(string(p.out[sg.start:sg.end])) == title {
				p.segs[i].repeat = true
			}
		}
	}
	// Questions are searched by what the learner sees before answering:
	// the prompt and the choices, never the answer or its explanation.
	for qi, q := range l.Questions {
		first := len(p.segs)
		p.markdown(q.Prompt, 0, InQuestion, qi, nil)
		for _, c := range q.Choices {
			p.begin(InQuestion, qi, 0)
			p.inlineText(c)
			p.end()
		}
		for i := first; i < len(p.segs); i++ {
			p.segs[i].src = q.Offset
		}
	}
	orig := string(p.out)
	return doc{lesson: l, orig: orig, text: fold(orig), segs: p.segs, anchors: p.anchors}
}

// eachWord calls fn with the byte range of every word of text: each
// longest run of letters and digits.
func eachWord(text string, fn func(start, end int)) {
	start := -1
	for i := 0; i < len(text); {
		c := text[i]
		word, n := false, 1
		if c < utf8.RuneSelf {
			word = isWordByte(c)
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(text[i:])
			word = isWordRune(r)
		}
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			fn(start, i)
			start = -1
		}
		i += n
	}
	if start >= 0 {
		fn(start, len(text))
	}
}

// maxTerms bounds the work one query can ask for.
const maxTerms = 8

// terms splits a query into folded words, dropping repeats.
func terms(query string) []string {
	var out []string
	for _, f := range strings.Fields(fold(query)) {
		if !slices.Contains(out, f) && len(out) < maxTerms {
			out = append(out, f)
		}
	}
	return out
}

// Find returns the lessons that hold every word of query (case ignored;
// each word matches where a word of the text starts with it), best first,
// at most limit of them (all when limit <= 0).
func (ix *Index) Find(query string, limit int) []Result {
	ts := terms(query)
	if len(ts) == 0 {
		return nil
	}
	var out []Result
	occ := make([][]int, len(ts))
	for di := range ix.docs {
		d := &ix.docs[di]
		found := true
		for i, t := range ts {
			if occ[i] = d.occurrences(t, occ[i][:0]); len(occ[i]) == 0 {
				found = false
				break
			}
		}
		if found {
			out = append(out, d.match(ts, occ))
		}
	}
	// Docs were visited in course order, so equal scores keep it.
	slices.SortStableFunc(out, func(a, b Result) int { return cmp.Compare(b.Score, a.Score) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// occurrences appends to buf, ascending, every position in d.text where
// a word starts with t, or for a term that starts with punctuation
// ("/users", ".env"), every position of t.
func (d *doc) occurrences(t string, buf []int) []int {
	key := leadingWord(t)
	if key == "" {
		for from := 0; len(buf) < maxScan; {
			i := strings.Index(d.text[from:], t)
			if i < 0 {
				break
			}
			buf = append(buf, from+i)
			from += i + 1
		}
		return buf
	}
	b := bucket(key[0])
	for _, p := range d.starts[d.first[b]:d.first[b+1]] {
		if strings.HasPrefix(d.text[p:], t) {
			buf = append(buf, int(p))
		}
	}
	return buf
}

// maxScan bounds the positions a punctuation-led term collects in one
// lesson.
const maxScan = 4000

func leadingWord(t string) string {
	for i, r := range t {
		if !isWordRune(r) {
			return t[:i]
		}
	}
	return t
}

func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }

// wholeWord reports whether the word at pos ends where t does.
func (d *doc) wholeWord(pos int, t string) bool {
	end := pos + len(t)
	return end >= len(d.text) || !isWordRune(firstRune(d.text[end:])) || !isWordRune(lastRune(t))
}

// wordEnd is where the word that runs through pos ends.
func (d *doc) wordEnd(pos int) int {
	for pos < len(d.text) {
		r, n := utf8.DecodeRuneInString(d.text[pos:])
		if !isWordRune(r) {
			break
		}
		pos += n
	}
	return pos
}

// Scores. A location (one block of the lesson) scores for where it is and
// how close the query words stand in it; a lesson scores for its best
// location, for query words in its title, and a little for how often the
// words come up. A question's prompt counts as text: on a tie the text,
// which comes first, makes the better snippet.
const (
	headingBonus  = 15.0
	summaryBonus  = 8.0
	titleBonus    = 10.0 // a location in the title (when no other has the words)
	repeatPenalty = -2.0 // a heading that repeats the title
	wholeBonus    = 3.0  // per word matched whole, not as a prefix
	nearBonus     = 30.0 // every word in one block, right next to each other
	nearScale     = 16.0 // bytes between words at which nearBonus halves
	phraseBonus   = 20.0 // the words in the query's order, as a phrase
	partialBonus  = 10.0 // some but not all of the words in one block
	titleWord     = 25.0 // per query word in the lesson's title
	titleWhole    = 5.0
	titleAll      = 20.0
	freqWeight    = 4.0 // times log2(1 + occurrences of the rarest word)
	maxAnchors    = 2000
)

// location is one candidate place for a lesson's result.
type location struct {
	seg, anchor int // segment index; position of the anchor term
	lo, hi      int // span of the query words found in the segment
	all         bool
	phrase      bool
	score       float64
}

func placeBonus(p Place) float64 {
	switch p {
	case InHeading:
		return headingBonus
	case InSummary:
		return summaryBonus
	case InTitle:
		return titleBonus
	}
	return 0
}

// match scores a lesson in which every term has occurrences (occ[i] are
// term i's positions in d.text, ascending).
func (d *doc) match(ts []string, occ [][]int) Result {
	// The title is segment 0 and comes first in the text.
	titleEnd := 0
	if d.segs[0].place == InTitle {
		titleEnd = d.segs[0].end
	}
	score := 0.0
	inTitle := 0
	rarest := math.MaxInt
	anchorTerm, anchorFirst := -1, 0
	for i, t := range ts {
		rarest = min(rarest, len(occ[i]))
		k := sort.SearchInts(occ[i], titleEnd) // first occurrence past the title
		if k > 0 {
			inTitle++
			score += titleWord
			if d.wholeWord(occ[i][0], t) {
				score += titleWhole
			}
		}
		if rest := len(occ[i]) - k; rest > 0 && (anchorTerm < 0 || rest < len(occ[anchorTerm])-anchorFirst) {
			anchorTerm, anchorFirst = i, k
		}
	}
	if inTitle == len(ts) {
		score += titleAll
	}
	score += freqWeight * math.Log2(1+float64(rarest))

	var best location
	places := 0
	if anchorTerm < 0 {
		// Every word is in the title and nowhere else.
		p := occ[0][0]
		best = location{seg: 0, anchor: p, lo: p, hi: p + len(ts[0]), all: true, score: titleBonus}
		places = 1
	} else {
		lastSeg := -1
		anchors := occ[anchorTerm][anchorFirst:]
		if len(anchors) > maxAnchors {
			anchors = anchors[:maxAnchors]
		}
		si := 0 // the anchors ascend, and so do their segments
		for n, p := range anchors {
			for d.segs[si].end <= p {
				si++
			}
			loc := d.locate(ts, occ, anchorTerm, p, si)
			if loc.all && loc.seg != lastSeg {
				places++
				lastSeg = loc.seg
			}
			if n == 0 || loc.score > best.score {
				best = loc
			}
		}
	}
	score += best.score
	return d.result(ts, occ, anchorTerm, best, places, score)
}

// locate scores the location around an occurrence p of the anchor term,
// in segment si: the nearest occurrence of each other term in the same
// block.
func (d *doc) locate(ts []string, occ [][]int, a, p, si int) location {
	s := d.segs[si]
	loc := location{seg: si, anchor: p, lo: p, hi: p + len(ts[a])}
	found := 1
	score := placeBonus(s.place)
	if s.repeat {
		// The title scores these words already; a snippet from the text
		// says more than the title again.
		score = repeatPenalty
	}
	if d.wholeWord(p, ts[a]) {
		score += wholeBonus
	}
	at := make([]int, len(ts)) // where each term stands here, -1 if not in this block
	at[a] = p
	sumLen := len(ts[a])
	for j, t := range ts {
		if j == a {
			continue
		}
		at[j] = -1
		o := occ[j]
		k := sort.SearchInts(o, p)
		bestDist := math.MaxInt
		for _, c := range []int{k - 1, k} {
			if c < 0 || c >= len(o) || o[c] < s.start || o[c] >= s.end {
				continue
			}
			if dist := abs(o[c] - p); dist < bestDist {
				bestDist, at[j] = dist, o[c]
			}
		}
		if at[j] < 0 {
			continue
		}
		found++
		sumLen += len(t)
		loc.lo, loc.hi = min(loc.lo, at[j]), max(loc.hi, at[j]+len(t))
		if d.wholeWord(at[j], t) {
			score += wholeBonus
		}
	}
	loc.all = found == len(ts)
	if len(ts) > 1 {
		if loc.all {
			gap := float64(max(0, loc.hi-loc.lo-sumLen))
			score += nearBonus * nearScale / (nearScale + gap)
			loc.phrase = d.isPhrase(ts, at)
			if loc.phrase {
				score += phraseBonus
			}
		} else {
			score += partialBonus * float64(found-1) / float64(len(ts)-1)
		}
	}
	loc.score = score
	return loc
}

// isPhrase reports whether the terms stand in query order, each word
// followed by the next after at most a few characters of punctuation or
// space ("cache-control", "status code", "e.g. etag").
func (d *doc) isPhrase(ts []string, at []int) bool {
	for i := 0; i+1 < len(ts); i++ {
		end := d.wordEnd(at[i] + len(ts[i]))
		if at[i+1] < end || at[i+1]-end > 3 {
			return false
		}
		for _, r := range d.text[end:at[i+1]] {
			if isWordRune(r) {
				return false
			}
		}
	}
	return true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// snippetLen is about how long a snippet is, in bytes of text.
const snippetLen = 120

const ellipsis = "…"

func (d *doc) result(ts []string, occ [][]int, a int, loc location, places int, score float64) Result {
	l := d.lesson
	s := d.segs[loc.seg]
	r := Result{
		LessonID: l.ID, LessonTitle: l.Title, Place: s.place, Places: places, Score: score,
	}
	switch s.place {
	case InBody, InHeading:
		r.Offset = d.bodyOffset(loc.anchor)
		r.Heading = headingAbove(l, r.Offset)
	case InQuestion:
		r.Offset = s.src
		r.QuestionID = l.Questions[s.question].ID
		r.Heading = headingAbove(l, r.Offset)
	}
	switch {
	case len(ts) == 1:
		r.Phrase = ts[0]
	case loc.phrase:
		r.Phrase = d.orig[loc.lo:loc.hi]
	case a >= 0:
		r.Phrase = ts[a]
	default:
		r.Phrase = ts[0]
	}

	start, end := d.window(s, loc.lo, loc.hi)
	var b strings.Builder
	shift := -start
	if start > s.start {
		b.WriteString(ellipsis)
		shift += len(ellipsis)
	}
	b.WriteString(d.orig[start:end])
	if end < s.end {
		b.WriteString(ellipsis)
	}
	r.Snippet = b.String()
	for i, t := range ts {
		k := sort.SearchInts(occ[i], start)
		for ; k < len(occ[i]) && occ[i][k] < end; k++ {
			sp := Span{occ[i][k] + shift, min(occ[i][k]+len(t), end) + shift}
			r.Marks = append(r.Marks, sp)
		}
	}
	r.Marks = mergeSpans(r.Marks)
	anchorLen := len(ts[0])
	if a >= 0 {
		anchorLen = len(ts[a])
	}
	r.Match = Span{loc.anchor + shift, min(loc.anchor+anchorLen, end) + shift}
	return r
}

// window picks the part of segment s to show around [lo, hi): the whole
// block when it is short, else about snippetLen bytes with the match a
// third of the way in, cut between words.
func (d *doc) window(s segment, lo, hi int) (int, int) {
	if s.end-s.start <= snippetLen {
		return s.start, s.end
	}
	lead := max(12, (snippetLen-(hi-lo))/3)
	start := max(s.start, lo-lead)
	end := min(s.end, max(start+snippetLen, hi+12))
	if end == s.end {
		start = max(s.start, min(lo, end-snippetLen))
	}
	if start > s.start {
		if sp := strings.IndexByte(d.orig[start:lo], ' '); sp >= 0 {
			start += sp + 1
		}
		for start < lo && !utf8.RuneStart(d.orig[start]) {
			start++
		}
	}
	if end < s.end {
		if sp := strings.LastIndexByte(d.orig[hi:end], ' '); sp >= 0 {
			end = hi + sp
		}
		for end > hi && !utf8.RuneStart(d.orig[end]) {
			end--
		}
	}
	return start, end
}

// mergeSpans sorts spans and joins those that overlap.
func mergeSpans(sp []Span) []Span {
	sort.Slice(sp, func(i, j int) bool { return sp[i].Start < sp[j].Start })
	out := sp[:0]
	for _, s := range sp {
		if n := len(out); n > 0 && s.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}

// bodyOffset maps a position in the projected body text to Lesson.Body.
func (d *doc) bodyOffset(pos int) int {
	i := sort.Search(len(d.anchors), func(i int) bool { return int(d.anchors[i].pos) > pos }) - 1
	if i < 0 {
		return 0
	}
	return int(d.anchors[i].src) + pos - int(d.anchors[i].pos)
}

func headingAbove(l *lessons.Lesson, off int) string {
	i := sort.Search(len(l.Headings), func(i int) bool { return l.Headings[i].Offset > off }) - 1
	if i < 0 {
		return ""
	}
	return l.Headings[i].Text
}
