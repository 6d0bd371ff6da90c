package lessons_test

import (
	"testing"
	"time"

	"serverside/internal/hostile"
	"serverside/lessons"
)

// FuzzApply: whatever goes in, what ApplyLimits returns is within the limits
// (so the renderer's work is bounded), and a document within them comes
// back unchanged.
func FuzzApply(f *testing.F) {
	for _, c := range hostile.Cases() {
		f.Add(c.Body[:min(len(c.Body), 4096)])
	}
	f.Add("# Title\n\nSome *text* with `code`.\n\n> a quote\n\n- a\n  - b\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
	// Small limits, so short inputs reach every one of them.
	lim := lessons.MarkdownLimits{Bytes: 4096, Depth: 3, Inline: 3, Headings: 4, CodeLines: 5, TableRows: 4, Blocks: 40, Inlines: 30}
	f.Fuzz(func(t *testing.T, md string) {
		var out string
		hostile.WithinBounds(t, "Apply", 5*time.Second, 256<<20, func() { out = lessons.ApplyLimits(md, lim) })
		if w := lessons.PastLimits(out, lim); len(w) > 0 {
			t.Fatalf("past the limits after Apply: %+v\n%q", w[0], out)
		}
		if len(lessons.CheckLimits([]byte(md), lim)) == 0 && out != md {
			t.Fatalf("a document within the limits was changed:\n%q\n%q", md, out)
		}
	})
}
