package lessons_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"serverside/internal/hostile"
	"serverside/lessons"
)

// Every hostile case comes back within the limits, with a marker, and CheckLimits
// reports it.
func TestApplyBringsHostileCasesWithinLimits(t *testing.T) {
	for _, c := range hostile.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			got, converged := lessons.ApplyLimitsConverged(c.Body, lessons.DefaultLimits)
			if !converged {
				t.Errorf("rewriting did not converge: the text was cut short instead")
			}
			if w := lessons.PastLimits(got, lessons.DefaultLimits); len(w) > 0 {
				t.Fatalf("still past the limits after Apply: %+v", w[0])
			}
			if !strings.Contains(got, "⋯") {
				t.Errorf("no marker where the text was cut or flattened:\n%.300s", got)
			}
			if len(lessons.CheckLimits([]byte(c.Body), lessons.DefaultLimits)) == 0 {
				t.Errorf("Check reports nothing")
			}
		})
	}
}

// AUTHORING.md lists every message CheckLimits's excesses print.
func TestAuthoringListsEveryMessage(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "AUTHORING.md"))
	if err != nil {
		t.Fatal(err)
	}
	number := regexp.MustCompile(`[0-9]+`)
	for _, k := range []lessons.LimitKind{lessons.LimitBytes, lessons.LimitDepth, lessons.LimitInline, lessons.LimitHeadings, lessons.LimitCodeLines, lessons.LimitTableRows, lessons.LimitBlocks, lessons.LimitInlines} {
		msg := lessons.Excess{Kind: k, Count: 12345, Places: 1}.Message(lessons.DefaultLimits)
		parts := number.Split(msg, -1)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		if !regexp.MustCompile("`" + strings.Join(parts, "[^`\n]+?") + "`").Match(doc) {
			t.Errorf("AUTHORING.md does not list %q (write it in the lint table with … for each number)", msg)
		}
	}
}
