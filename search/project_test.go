package search

import (
	"reflect"
	"strings"
	"testing"

	"serverside/lessons"
)

func segTexts(p *projector) []string {
	var out []string
	for _, s := range p.segs {
		out = append(out, string(p.out[s.start:s.end]))
	}
	return out
}

func TestProjectMarkdown(t *testing.T) {
	tests := []struct {
		name, md string
		want     []string
	}{
		{"emphasis, code and links", "Some **bold**, _em_ and `code` and [a link](http://x.test/y).\n", []string{"Some bold, em and code and a link."}},
		{"paragraph lines join", "one\ntwo   three\n\nfour\n", []string{"one two three", "four"}},
		{"list items are blocks", "- one\n- two\n  more\n1. three\n", []string{"one", "two more", "three"}},
		{"table rows", "| a | b |\n| --- | :-: |\n| 1 | 2 |\n", []string{"a b", "1 2"}},
		{"fenced code keeps its text", "```go\nfunc main() {}\n\nx := *p\n```\nafter\n", []string{"func main() {}", "x := *p", "after"}},
		{"tilde fence", "~~~\n**kept**\n~~~\n", []string{"**kept**"}},
		{"snake_case keeps underscores", "use max_age and _emph_ here\n", []string{"use max_age and emph here"}},
		{"escapes", `\*not emphasis\* and \_x\_` + "\n", []string{"*not emphasis* and _x_"}},
		{"block quote", "> quoted **text**\n> more\n", []string{"quoted text more"}},
		{"image alt text", "![alt text](img.png) after\n", []string{"alt text after"}},
		{"reference link", "see [the spec][rfc] now\n", []string{"see the spec now"}},
		{"brackets that are not links", "array[0] and [note]\n", []string{"array[0] and [note]"}},
		{"code span with backticks inside", "``a ` b`` c\n", []string{"a ` b c"}},
		{"unclosed code span", "a ` b\n", []string{"a ` b"}},
		{"hard break", "line one\\\nline two\n", []string{"line one line two"}},
		{"rules vanish", "above\n\n---\n\n***\nbelow\n", []string{"above", "below"}},
		{"strikethrough", "~~old~~ new\n", []string{"old new"}},
		{"code span across lines", "a `300 Multiple\nChoices` b\n", []string{"a 300 Multiple Choices b"}},
		{"link across lines", "see [caching layers\nand CDNs](../x.md) now\n", []string{"see caching layers and CDNs now"}},
		{"double backticks close only on two", "``a `b` c`` d\n", []string{"a `b` c d"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &projector{mapping: true}
			p.markdown(tt.md, 0, InBody, -1, nil)
			if got := segTexts(p); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("projected %q\n got %q\nwant %q", tt.md, got, tt.want)
			}
		})
	}
}

func TestProjectHeadings(t *testing.T) {
	md := "# Top\n\ntext\n\nSetext title\n============\n\n## Closed ##\n"
	heads := []int{2, strings.Index(md, "Setext"), strings.Index(md, "Closed")}
	p := &projector{mapping: true}
	p.markdown(md, 0, InBody, -1, heads)
	var got []string
	for _, s := range p.segs {
		got = append(got, s.place.String()+":"+string(p.out[s.start:s.end]))
	}
	want := []string{"heading:Top", "text:text", "heading:Setext title", "heading:Closed"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// Every visible byte of a projected body must map back to the same byte
// of the lesson's Body: that is what makes Result.Offset right.
func TestProjectionMapsToBody(t *testing.T) {
	c, _ := lessons.Default()
	fixtures := loadFixtures(t)
	for _, l := range append(c.Lessons(), fixtures.Lessons()...) {
		d := project(l)
		checked := 0
		for _, s := range d.segs {
			if s.place != InBody && s.place != InHeading {
				continue
			}
			for pos := s.start; pos < s.end; pos++ {
				if d.orig[pos] == ' ' {
					continue // a folded run of whitespace
				}
				off := d.bodyOffset(pos)
				if off < 0 || off >= len(l.Body) || l.Body[off] != d.orig[pos] {
					t.Fatalf("%s: projected byte %d (%q in %q) maps to Body offset %d", l.ID, pos, d.orig[pos], d.orig[s.start:s.end], off)
				}
				checked++
			}
		}
		if checked == 0 {
			t.Errorf("%s: no body text projected", l.ID)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ETag", "etag"},
		{"Über STRASSE", "über strasse"},
		{"İstanbul", "İstanbul"}, // its lower case is longer: left alone
		{"\u212A", "\u212A"},     // Kelvin sign: lower case is one byte
		{"ΣΑΣ", "σασ"},
	}
	for _, tt := range tests {
		got := fold(tt.in)
		if got != tt.want || len(got) != len(tt.in) {
			t.Errorf("fold(%q) = %q, want %q of the same length", tt.in, got, tt.want)
		}
	}
}

// Any markdown projects without panicking, and every visible byte still
// maps back to the same byte of the body.
func FuzzProject(f *testing.F) {
	for _, seed := range []string{
		"# T\n\nSome **bold** `code` [link](x.md)\n",
		"- a\n- b\n\n> q\n\n| a | b |\n|---|---|\n",
		"```\ncode\n```\n~~~\nmore\n",
		"[unclosed ![img](a) `tick \\\n_x_ __y__",
		"``a`` ```b``` [a]]][[(]",
	} {
		f.Add(seed, 2)
	}
	f.Fuzz(func(t *testing.T, body string, head int) {
		var heads []int
		if head >= 0 && head < len(body) {
			heads = []int{head}
		}
		p := &projector{mapping: true}
		p.markdown(body, 0, InBody, -1, heads)
		d := doc{orig: string(p.out), segs: p.segs, anchors: p.anchors}
		for _, s := range d.segs {
			if s.start > s.end || s.end > len(d.orig) {
				t.Fatalf("segment %+v outside %d bytes", s, len(d.orig))
			}
			for pos := s.start; pos < s.end; pos++ {
				if d.orig[pos] == ' ' {
					continue
				}
				if off := d.bodyOffset(pos); off < 0 || off >= len(body) || body[off] != d.orig[pos] {
					t.Fatalf("byte %d (%q) maps to %d in %q", pos, d.orig[pos], off, body)
				}
			}
		}
	})
}
