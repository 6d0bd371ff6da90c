package cli

import (
	"context"

	"serverside/labs"
	"serverside/lessons"
)

// validateLab checks a whole lab block: its keys, the scenario, tasks or
// build lab it names, and for sql labs that every query runs.
// ctx bounds the queries it runs (lint gives a whole course
// labs.LintQueryBudget).
func validateLab(ctx context.Context, path string, lab *lessons.Lab) []lessons.Problem {
	return labs.ValidateContext(ctx, path, lab)
}
