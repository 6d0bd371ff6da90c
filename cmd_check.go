package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"serverside/labs"
	"serverside/termsafe"
)

func newCheckCmd(_ *globals) *cobra.Command {
	var (
		addr       string
		list, spec bool
	)
	cmd := &cobra.Command{
		Use:   "check LAB",
		Short: "Check your own service against a build lab's specification",
		Long: "check drives the service you built, running on this machine, through the stages of a\n" +
			"build lab, like a test suite: what it sent, what it expected and what came back are shown\n" +
			"for the first stage that fails. When a stage passes, the earlier ones run again.\n\n" +
			"  serverside check --list                 the build labs\n" +
			"  serverside check rest-resource --spec   what to build\n" +
			"  serverside check rest-resource --addr 127.0.0.1:8080",
		Args: func(cmd *cobra.Command, args []string) error {
			if list {
				return cobra.NoArgs(cmd, args)
			}
			if len(args) != 1 {
				return errors.New("name the lab to check (serverside check --list shows them)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if list {
				for _, b := range labs.BuildLabs() {
					if _, err := fmt.Fprintf(out, "%s\t%s\n", b.ID, b.Title); err != nil {
						return err
					}
				}
				return nil
			}
			lab, ok := findBuildLab(args[0])
			if !ok {
				return fmt.Errorf("no build lab %q: serverside check --list shows them", args[0])
			}
			if spec {
				_, err := io.WriteString(out, lab.Spec)
				return err
			}
			// The report quotes what the learner's service sent.
			return runCheck(cmd, termsafe.NewWriter(out, false), lab, addr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "where your service listens (loopback only)")
	f.BoolVar(&list, "list", false, "list the build labs: id, a tab, and title")
	f.BoolVar(&spec, "spec", false, "print the lab's specification (markdown) instead of checking")
	return cmd
}

func findBuildLab(id string) (labs.BuildLab, bool) {
	for _, b := range labs.BuildLabs() {
		if b.ID == id {
			return b, true
		}
	}
	return labs.BuildLab{}, false
}

func runCheck(cmd *cobra.Command, out io.Writer, lab labs.BuildLab, addr string) error {
	hostport, err := labs.LoopbackAddr(addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Checking %s (%s) at %s\n\n", lab.ID, lab.Title, hostport)
	progress := func(r labs.StageResult) {
		switch {
		case !r.Rerun:
			mark := "✓"
			if !r.Passed {
				mark = "✗"
			}
			fmt.Fprintf(out, "%s %d. %s\n", mark, r.Index+1, r.Title)
		case !r.Passed:
			fmt.Fprintf(out, "✗ %d. %s: broke again, after stage %q passed\n", r.Index+1, r.Title, r.After)
		}
	}
	rep, err := labs.Check(cmd.Context(), lab.ID, hostport, progress)
	if err != nil {
		return err
	}
	if rep.Passed {
		fmt.Fprintf(out, "\nAll %d stages pass (%s).\n", len(rep.Stages), rep.Elapsed.Round(1e6))
		return nil
	}
	var later []string
	for _, s := range rep.Stages[rep.Failed.Index+1:] {
		if !s.Ran {
			later = append(later, fmt.Sprintf("%d. %s", s.Index+1, s.Title))
		}
	}
	fmt.Fprintf(out, "\n%s", rep.Failed.Failure.Text())
	if len(later) > 0 {
		fmt.Fprintf(out, "\nNot run yet:\n  %s\n", strings.Join(later, "\n  "))
	}
	return &exitCodeError{code: 1, err: fmt.Errorf("%s: stage %q failed", lab.ID, rep.Failed.ID), quiet: true}
}
