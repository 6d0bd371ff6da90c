package render_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
	"serverside/render"
)

// readLessonSize is the size of the lesson BenchmarkReadRender renders:
// a long lesson, about half again the size of the biggest built-in body.
const readLessonSize = 14 * 1024

// longLesson builds about size bytes of real lesson markdown: built-in
// bodies, biggest first, joined and cut at a paragraph break, so the
// benchmark renders the headings, lists, tables and code the course has.
func longLesson(tb testing.TB, size int) string {
	tb.Helper()
	c, probs := lessons.Default()
	for _, p := range probs {
		if p.Severity == lessons.Error {
			tb.Fatalf("built-in course: %v", p)
		}
	}
	all := c.Lessons()
	if len(all) == 0 {
		tb.Fatal("built-in course has no lessons")
	}
	// Biggest first, so the text is one whole lesson plus part of another.
	for i := 1; i < len(all); i++ {
		for j := i; j > 0 && len(all[j].Body) > len(all[j-1].Body); j-- {
			all[j], all[j-1] = all[j-1], all[j]
		}
	}
	var b strings.Builder
	for _, l := range all {
		if b.Len() >= size {
			break
		}
		b.WriteString(l.Body)
		b.WriteString("\n\n")
	}
	md := b.String()
	if len(md) > size {
		md = md[:size]
		if i := strings.LastIndex(md, "\n\n"); i > size/2 {
			md = md[:i+1]
		}
	}
	// An odd number of fences would turn the rest into one code block.
	if strings.Count(md, "```")%2 == 1 {
		md += "\n```\n"
	}
	return md
}

func TestLongLessonRendersPlain(t *testing.T) {
	md := longLesson(t, readLessonSize)
	if len(md) < readLessonSize*9/10 || len(md) > readLessonSize+8 {
		t.Fatalf("long lesson is %d bytes, want about %d", len(md), readLessonSize)
	}
	out, err := render.Markdown(md, 80, render.Plain)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "\x1b") {
		t.Fatal("plain render contains escape sequences")
	}
	for i, line := range strings.Split(out, "\n") {
		// Glamour pads lines to the wrap width; nothing may pass it.
		if n := ansi.StringWidth(line); n > 80 {
			t.Fatalf("line %d is %d columns wide, want at most 80: %q", i+1, n, line)
		}
	}
}

// BenchmarkReadRender is `serverside read --plain` on a 14 KB lesson at 80
// columns: one renderer built and used, as each render does.
func BenchmarkReadRender(b *testing.B) {
	md := longLesson(b, readLessonSize)
	b.SetBytes(int64(len(md)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := render.Markdown(md, 80, render.Plain); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderDark is the same lesson styled for a dark terminal, as
// the lesson screen renders it, for comparison with the plain render.
func BenchmarkRenderDark(b *testing.B) {
	md := longLesson(b, readLessonSize)
	b.SetBytes(int64(len(md)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := render.Markdown(md, 80, render.Dark); err != nil {
			b.Fatal(err)
		}
	}
}
