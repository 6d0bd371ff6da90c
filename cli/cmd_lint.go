package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"serverside/labs"
	"serverside/lessons"
	"serverside/termsafe"
)

func newLintCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "lint [DIR]",
		Short: "Check a course directory (or the built-in course) for mistakes",
		Long: "lint checks every lesson, question and lab of a course and prints one problem a line,\n" +
			"path:line:col: error|warning: message, sorted by file and line. It exits 1 when any\n" +
			"problem is an error. Without DIR it checks --lessons, or the built-in course.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lg := *g
			if len(args) == 1 {
				lg.lessonsDir = args[0]
			}
			course, probs, err := lg.LoadCourse()
			if err != nil {
				return err
			}
			probs = append(probs, lintLabs(cmd.Context(), course)...)
			lessons.SortProblems(probs)
			if asJSON {
				if probs == nil {
					probs = []lessons.Problem{}
				}
				enc := json.NewEncoder(termsafe.NewJSONWriter(cmd.OutOrStdout()))
				enc.SetIndent("", "  ")
				if err := enc.Encode(probs); err != nil {
					return err
				}
			} else {
				// File names and messages quote what the course holds.
				for _, p := range probs {
					fmt.Fprintln(cmd.ErrOrStderr(), termsafe.Line(p.String()))
				}
			}
			errs, warns := 0, 0
			for _, p := range probs {
				if p.Severity == lessons.Error {
					errs++
				} else {
					warns++
				}
			}
			if !asJSON {
				n := len(course.Lessons())
				fmt.Fprintf(cmd.ErrOrStderr(), "%s checked: %s, %s\n", countOf(n+len(course.Broken), "lesson"), countOf(errs, "error"), countOf(warns, "warning"))
			}
			if errs > 0 {
				return &exitCodeError{code: 1, err: errors.New("lint found errors"), quiet: true}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the problems as JSON on stdout")
	return cmd
}

// lintLabs asks the labs package to check every lab block (its keys, the
// scenario, tasks or build lab it names, and for sql labs that every query
// runs), within one time budget for all the queries the blocks run.
func lintLabs(ctx context.Context, c *lessons.Course) []lessons.Problem {
	ctx, cancel := context.WithTimeout(ctx, labs.LintQueryBudget)
	defer cancel()
	var out []lessons.Problem
	for _, l := range c.Lessons() {
		for _, lab := range l.Labs {
			out = append(out, labs.ValidateContext(ctx, c.DisplayPath(l.Path), lab)...)
		}
	}
	return out
}
