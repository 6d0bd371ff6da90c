package lessons

import (
	"fmt"
	"strings"
	"testing"
)

// Past the heading limit the reader shows headings as text, so they are
// not in the lesson's contents either: matching 30,000 of them against the
// rendered lines hung the contents picker.
func TestHeadingsPastTheLimitLeaveTheContents(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\nid: many\ntitle: Many\n---\n\nText.\n\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "## Heading %d\n\n", i)
	}
	l, probs := ParseLesson("many.md", "many.md", []byte(b.String()))
	if l == nil {
		t.Fatalf("the lesson should load: %v", probs)
	}
	if len(l.Headings) != DefaultLimits.Headings {
		t.Errorf("%d headings in the contents, want %d", len(l.Headings), DefaultLimits.Headings)
	}
	found := false
	for _, p := range probs {
		if strings.Contains(p.Message, "a lesson shows at most 200 headings") && p.Line == 8+2*200 && p.Shown {
			found = true
		}
	}
	if !found {
		t.Errorf("no problem at heading 201's line: %v", probs)
	}
}
