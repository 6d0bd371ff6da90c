package render_test

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"serverside/render"
)

// benchLesson is the 13.8 KB lesson the read figures are measured on
// (prose, lists, tables, code, a quote), times copies.
func benchLesson(tb testing.TB, copies int) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/http-lesson.md")
	if err != nil {
		tb.Fatal(err)
	}
	return strings.Repeat(string(b)+"\n", copies)
}

func TestBenchLessonRendersWithinWidth(t *testing.T) {
	md := benchLesson(t, 1)
	for _, theme := range []render.Theme{render.Plain, render.Dark} {
		out, err := render.Render(md, render.Options{Width: 80, Theme: theme, CutWide: true})
		if err != nil {
			t.Fatal(err)
		}
		if theme == render.Plain && strings.Contains(out, "\x1b") {
			t.Fatal("plain render contains escape sequences")
		}
		for i, line := range strings.Split(out, "\n") {
			if n := ansi.StringWidth(line); n > 80 {
				t.Fatalf("%s: line %d is %d columns wide, want at most 80: %q", theme, i+1, n, line)
			}
		}
	}
}

// BenchmarkRead is `serverside read` at 80 columns: plain (a pipe, a
// file, a screen reader) and styled (a dark terminal), on the 13.8 KB
// lesson and on eight copies of it (110 KB).
func BenchmarkRead(b *testing.B) {
	for _, size := range []struct {
		name   string
		copies int
	}{{"13.8KB", 1}, {"110KB", 8}} {
		md := benchLesson(b, size.copies)
		for _, theme := range []render.Theme{render.Plain, render.Dark} {
			b.Run(string(theme)+"/"+size.name, func(b *testing.B) {
				b.SetBytes(int64(len(md)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := render.Render(md, render.Options{Width: 80, Theme: theme}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// A long document is rendered on every core, a run of blocks each: the
// output is the same as from one.
func TestParallelRenderIsIdentical(t *testing.T) {
	md := benchLesson(t, 3)
	for _, theme := range []render.Theme{render.Plain, render.Dark} {
		prev := runtime.GOMAXPROCS(1)
		one, err := render.Render(md, render.Options{Width: 80, Theme: theme})
		runtime.GOMAXPROCS(max(prev, 4))
		many, err2 := render.Render(md, render.Options{Width: 80, Theme: theme})
		runtime.GOMAXPROCS(prev)
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		if one != many {
			t.Errorf("%s: parallel render differs from the sequential one", theme)
		}
	}
}
