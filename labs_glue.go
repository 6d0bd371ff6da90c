package main

import "serverside/lessons"

// validateLab checks a lab block's kind until the labs package validates
// the whole block.
func validateLab(path string, lab *lessons.Lab) []lessons.Problem {
	switch lab.Kind {
	case "http", "sql", "build":
		return nil
	}
	return []lessons.Problem{{Path: path, Line: lab.Line + 1, Col: 1, Severity: lessons.Error,
		Message: "unknown lab kind " + lab.Kind + ": use http, sql or build"}}
}
