package search

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"serverside/lessons"
)

func loadFixtures(t testing.TB) *lessons.Course {
	t.Helper()
	c, probs, err := lessons.LoadDir("testdata/course")
	if err != nil || len(probs) > 0 {
		t.Fatalf("fixture course: %v %v", err, probs)
	}
	return c
}

func ids(rs []Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.LessonID)
	}
	return out
}

func TestFind(t *testing.T) {
	ix := Build(loadFixtures(t))
	tests := []struct {
		name, query string
		want        []string // lesson ids, best first
		place       Place    // of the first result
		heading     string   // of the first result
		match       string   // the text under the first result's Match
	}{
		{"one word, any case", "ETAG", []string{"caching", "unicode"}, InHeading, "Validation: ETag and 304", "ETag"},
		{"a word's start matches", "cach", []string{"caching", "methods"}, InSummary, "", "cach"},
		{"not the middle of a word", "ache", nil, 0, "", ""},
		{"every word must be there", "etag idempotent", nil, 0, "", ""},
		{"words close together rank first", "private cache", []string{"caching", "methods"}, InBody, "HTTP caching", "private"},
		{"a heading that repeats the title gives way to text", "methods", []string{"methods"}, InBody, "Safe and idempotent", "methods"},
		{"bold text is text", "private cache serves", []string{"caching"}, InBody, "HTTP caching", "private"},
		{"link text is text", "conditional requests", []string{"caching"}, InBody, "HTTP caching", "requests"},
		{"link targets are not", "xyzzyurl", nil, 0, "", ""},
		{"question prompts", "precondition", []string{"caching"}, InQuestion, "Validation: ETag and 304", "Precondition"},
		{"explanations and hints are not searched", "plugh", nil, 0, "", ""},
		{"hints are not searched", "frobnicate", nil, 0, "", ""},
		{"punctuation in a word", "max-age", []string{"caching"}, InBody, "Headers", "max-age"},
		{"underscores", "max_age", []string{"caching"}, InBody, "Headers", "max_age"},
		{"a term that starts with punctuation", "/users", []string{"methods"}, InBody, "Safe and idempotent", "/users"},
		{"non-ASCII, any case", "ÜBER", []string{"unicode"}, InBody, "Text", "Über"},
		{"non-ASCII inside a word", "straße", []string{"unicode"}, InBody, "Text", "Straße"},
		{"in a table", "version tag", []string{"unicode"}, InBody, "Text", "version"},
		{"summary", "decide", []string{"caching"}, InSummary, "", "decide"},
		{"title only", "ascii", []string{"unicode"}, InTitle, "", "ASCII"},
		{"empty query", "   ", nil, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := ix.Find(tt.query, 0)
			if strings.Join(ids(rs), ",") != strings.Join(tt.want, ",") {
				t.Fatalf("Find(%q) = %v, want %v", tt.query, ids(rs), tt.want)
			}
			if len(rs) == 0 {
				return
			}
			r := rs[0]
			if r.Place != tt.place || r.Heading != tt.heading {
				t.Errorf("first result in %v under %q, want %v under %q (snippet %q)", r.Place, r.Heading, tt.place, tt.heading, r.Snippet)
			}
			if got := r.Snippet[r.Match.Start:r.Match.End]; got != tt.match {
				t.Errorf("match %q in snippet %q, want %q", got, r.Snippet, tt.match)
			}
		})
	}
}

// Every result must be usable as is: the snippet is one line, its marks
// lie on the query's words, and the offset points at the match in Body.
func TestResultsAreConsistent(t *testing.T) {
	c, _ := lessons.Default()
	ix := Build(c)
	queries := []string{"etag", "private cache", "cache-control max-age", "idempotent", "tls handshake",
		"sql injection", "goroutine", "x", "the", "rate limit", "404", "json api", "/users", "dead lock"}
	for _, q := range queries {
		ts := terms(q)
		for _, r := range ix.Find(q, 0) {
			l := c.Lesson(r.LessonID)
			if l == nil || l.Title != r.LessonTitle {
				t.Fatalf("%q: result names no lesson: %+v", q, r)
			}
			if strings.ContainsAny(r.Snippet, "\n\t") || strings.Contains(r.Snippet, "  ") {
				t.Errorf("%q: snippet not folded: %q", q, r.Snippet)
			}
			if len(r.Marks) == 0 {
				t.Errorf("%q: no marks in %q", q, r.Snippet)
			}
			hasMatch := false
			for _, m := range r.Marks {
				if m.Start < 0 || m.End > len(r.Snippet) || m.Start >= m.End {
					t.Fatalf("%q: mark %v outside snippet %q", q, m, r.Snippet)
				}
				hasMatch = hasMatch || m.Start <= r.Match.Start && r.Match.End <= m.End
				marked := fold(r.Snippet[m.Start:m.End])
				ok := false
				for _, t := range ts {
					ok = ok || strings.HasPrefix(marked, t) || strings.HasPrefix(t, marked)
				}
				if !ok {
					t.Errorf("%q: mark %q is no query word", q, marked)
				}
			}
			if !hasMatch {
				t.Errorf("%q: match %v not among marks %v", q, r.Match, r.Marks)
			}
			match := fold(r.Snippet[r.Match.Start:r.Match.End])
			switch r.Place {
			case InBody, InHeading:
				if !strings.HasPrefix(fold(l.Body[r.Offset:]), match) {
					t.Errorf("%q: offset %d in %s points at %q, want %q", q, r.Offset, l.ID, l.Body[r.Offset:min(len(l.Body), r.Offset+20)], match)
				}
				if want := headingAbove(l, r.Offset); r.Heading != want {
					t.Errorf("%q: heading %q, want %q", q, r.Heading, want)
				}
			case InQuestion:
				qn := l.Question(r.QuestionID)
				if qn == nil || qn.Offset != r.Offset {
					t.Errorf("%q: question %q at %d not in %s", q, r.QuestionID, r.Offset, l.ID)
				}
			}
			if r.Places < 0 || r.Phrase == "" {
				t.Errorf("%q: places %d, phrase %q", q, r.Places, r.Phrase)
			}
		}
	}
}

func TestSnippetWindow(t *testing.T) {
	ix := Build(loadFixtures(t))
	rs := ix.Find("finally", 0)
	if len(rs) != 1 {
		t.Fatalf("want one result, got %v", ids(rs))
	}
	r := rs[0]
	if !strings.HasPrefix(r.Snippet, "…") || len(r.Snippet) > snippetLen+2*len("…") {
		t.Errorf("a long paragraph should be cut around the match: %q", r.Snippet)
	}
	if !strings.HasSuffix(r.Snippet, "once.") {
		t.Errorf("the end of the paragraph is near: %q", r.Snippet)
	}
	// Cut between words: the first word after the ellipsis is whole.
	first := strings.Fields(strings.TrimPrefix(r.Snippet, "…"))[0]
	if !strings.Contains(" "+ix.docs[1].orig, " "+first+" ") {
		t.Errorf("snippet starts mid-word: %q", r.Snippet)
	}
}

func TestPhraseAndPlaces(t *testing.T) {
	ix := Build(loadFixtures(t))
	tests := []struct {
		query, phrase string
		places        int
	}{
		{"private cache", "private cache", 2},
		{"cache private", "private", 2}, // never in this order: the rarer word
		{"etag", "etag", 3},
		{"not modified", "Not Modified", 2},
	}
	for _, tt := range tests {
		rs := ix.Find(tt.query, 1)
		if len(rs) != 1 {
			t.Fatalf("%q: no result", tt.query)
		}
		if rs[0].Phrase != tt.phrase || rs[0].Places != tt.places {
			t.Errorf("%q: phrase %q places %d, want %q and %d", tt.query, rs[0].Phrase, rs[0].Places, tt.phrase, tt.places)
		}
	}
}

func TestLimitAndEmpty(t *testing.T) {
	c, _ := lessons.Default()
	ix := Build(c)
	if n := len(ix.Find("the", 3)); n != 3 {
		t.Errorf("limit 3 gave %d results", n)
	}
	if all := len(ix.Find("the", 0)); all < 40 {
		t.Errorf("limit 0 should give every lesson with \"the\", got %d", all)
	}
	if rs := Build(nil).Find("etag", 10); rs != nil {
		t.Errorf("an empty index found %v", rs)
	}
	if ix.Lessons() != len(c.Lessons()) || ix.Course() != c {
		t.Errorf("index holds %d lessons of %d", ix.Lessons(), len(c.Lessons()))
	}
}

// course builds a course of one module from lesson bodies, in order, with
// ids a, b, c, … and the given titles.
func course(t *testing.T, lessonsByTitle ...[2]string) *lessons.Course {
	t.Helper()
	fsys := fstest.MapFS{}
	for i, l := range lessonsByTitle {
		id := string(rune('a' + i))
		src := fmt.Sprintf("---\nid: %s\ntitle: %s\n---\n\n%s\n", id, l[0], l[1])
		fsys[fmt.Sprintf("m/%02d-%s.md", i+1, id)] = &fstest.MapFile{Data: []byte(src)}
	}
	c, probs := lessons.Load(fsys, "mem")
	if len(probs) > 0 {
		t.Fatalf("course: %v", probs)
	}
	return c
}

func TestRanking(t *testing.T) {
	filler := strings.Repeat("Words about other things entirely. ", 8)
	tests := []struct {
		name    string
		lessons [][2]string
		query   string
		want    string // ids, best first
	}{
		{"title beats body", [][2]string{
			{"Servers", "A proxy, a proxy, a proxy and one more proxy."},
			{"Proxy servers", "Here we go."},
		}, "proxy", "b,a"},
		{"heading beats body", [][2]string{
			{"One", "The word proxy in a paragraph."},
			{"Two", "## The proxy\n\nSomething."},
		}, "proxy", "b,a"},
		{"close words beat distant ones", [][2]string{
			{"One", "The connection " + filler + " then a pool."},
			{"Two", "A connection pool keeps them open."},
		}, "connection pool", "b,a"},
		{"in one block beats apart", [][2]string{
			{"One", "The connection is here.\n\nThe pool is there."},
			{"Two", "The pool " + filler + " holds each connection."},
		}, "connection pool", "b,a"},
		{"a word shorter than the query is no match", [][2]string{
			{"One", "Caching is here."},
			{"Two", "A cache is here."},
		}, "cache", "b"},
		{"whole words beat prefixes, same place", [][2]string{
			{"One", "Cached pages."},
			{"Two", "Cache pages."},
		}, "cache", "b,a"},
		{"equal scores keep course order", [][2]string{
			{"One", "Same text."},
			{"Two", "Same text."},
		}, "same", "a,b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := Build(course(t, tt.lessons...)).Find(tt.query, 0)
			if got := strings.Join(ids(rs), ","); got != tt.want {
				t.Errorf("Find(%q) = %s, want %s", tt.query, got, tt.want)
				for _, r := range rs {
					t.Logf("%s %.1f %q", r.LessonID, r.Score, r.Snippet)
				}
			}
		})
	}
}

// Any query answers without panicking, with marks inside their snippets.
func FuzzFind(f *testing.F) {
	for _, seed := range []string{"etag", "private cache", "/users", "max-age", "ÜBER", "a b c d e f g h i j", "-", "\xff", "é"} {
		f.Add(seed)
	}
	ix := Build(loadFixtures(f))
	f.Fuzz(func(t *testing.T, q string) {
		for _, r := range ix.Find(q, 0) {
			for _, m := range append(r.Marks, r.Match) {
				if m.Start < 0 || m.End > len(r.Snippet) || m.Start > m.End {
					t.Fatalf("%q: span %v outside snippet %q", q, m, r.Snippet)
				}
			}
		}
	})
}
