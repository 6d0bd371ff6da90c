package mdbounds

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"serverside/internal/hostile"
)

// Every hostile case comes back within the limits, with a marker, and Check
// reports it.
func TestApplyBringsHostileCasesWithinLimits(t *testing.T) {
	for _, c := range hostile.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			got, converged := apply(c.Body, Default)
			if !converged {
				t.Errorf("rewriting did not converge: the text was cut short instead")
			}
			if w := measure([]byte(got), Default); len(w.found) > 0 {
				t.Fatalf("still past the limits after Apply: %+v", w.found[0])
			}
			if !strings.Contains(got, "⋯") {
				t.Errorf("no marker where the text was cut or flattened:\n%.300s", got)
			}
			if len(Check([]byte(c.Body), Default)) == 0 {
				t.Errorf("Check reports nothing")
			}
		})
	}
}

// AUTHORING.md lists every message Check's excesses print.
func TestAuthoringListsEveryMessage(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "AUTHORING.md"))
	if err != nil {
		t.Fatal(err)
	}
	number := regexp.MustCompile(`[0-9]+`)
	for _, k := range []Kind{Bytes, Depth, Inline, Headings, CodeLines, TableRows, Blocks, Inlines} {
		msg := Excess{Kind: k, Count: 12345, Places: 1}.Message(Default)
		parts := number.Split(msg, -1)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		if !regexp.MustCompile("`" + strings.Join(parts, "[^`\n]+?") + "`").Match(doc) {
			t.Errorf("AUTHORING.md does not list %q (write it in the lint table with … for each number)", msg)
		}
	}
}
