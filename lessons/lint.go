package lessons

import (
	"cmp"
	"fmt"
	"slices"
)

// Severity says whether a problem stops a lesson from being used.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Problem is one thing wrong in a course, at a place in a file.
type Problem struct {
	Path     string   `json:"path"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	// Shown is set on errors that lint reports but that don't stop the
	// lesson from being shown: the text was made safe (control characters
	// replaced), so a learner can still read it.
	Shown bool `json:"-"`
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", p.Path, p.Line, p.Col, p.Severity, p.Message)
}

// SortProblems orders problems by path, line and column, as lint prints them.
func SortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// Blocking reports whether any problem is an error that keeps a lesson
// from being shown.
func Blocking(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == Error && !p.Shown {
			return true
		}
	}
	return false
}

// HasErrors reports whether any problem is an error.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// Closest returns the word of known that s is most likely a typo of, or ""
// when none is near: the suggestion in "did you mean …?" everywhere.
func Closest(s string, known []string) string { return closest(s, known) }
