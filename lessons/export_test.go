package lessons

// What the external tests of the markdown limits (mdbounds_test.go and
// mdbounds_fuzz_test.go, package lessons_test: they use internal/hostile,
// which imports lessons through termsafe) need to see inside.

// ApplyLimitsConverged is ApplyLimits, also saying whether the rewriting
// converged (when it did not, the text was cut short instead).
var ApplyLimitsConverged = apply

// PastLimits is every place md still goes past lim.
func PastLimits(md string, lim MarkdownLimits) []Excess { return measure([]byte(md), lim).found }
