package mdbounds

import (
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
