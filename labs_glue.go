package main

import (
	"serverside/labs"
	"serverside/lessons"
)

// validateLab checks a whole lab block: its keys, the scenario, tasks or
// build lab it names, and for sql labs that every query runs.
func validateLab(path string, lab *lessons.Lab) []lessons.Problem {
	return labs.Validate(path, lab)
}
