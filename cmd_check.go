package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"serverside/labs"
	"serverside/render"
	"serverside/termsafe"
	"serverside/tui"
)

func newCheckCmd(g *globals) *cobra.Command {
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
			lab, err := labs.FindBuildLab(args[0])
			if err != nil {
				return fmt.Errorf("%w: serverside check --list shows them", err)
			}
			if spec {
				return writeSpec(out, lab.Spec, g.theme)
			}
			// The report quotes what the learner's service sent.
			return runCheck(cmd, g, termsafe.NewWriter(out, false), lab, addr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "where your service listens (loopback only)")
	f.BoolVar(&list, "list", false, "list the build labs: id, a tab, and title")
	f.BoolVar(&spec, "spec", false, "print the lab's specification instead of checking (styled on a terminal, plain text in a pipe)")
	return cmd
}

func runCheck(cmd *cobra.Command, g *globals, out io.Writer, lab labs.BuildLab, addr string) error {
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
	// A check stopped half way (ctrl+c) says nothing about the service.
	var recorded string
	if cmd.Context().Err() == nil {
		if recorded, err = recordCheck(cmd.Context(), g, lab.ID, rep); err != nil {
			return err
		}
	}
	if rep.Passed {
		fmt.Fprintf(out, "\nAll %d stages pass (%s).\n", len(rep.Stages), rep.Elapsed.Round(1e6))
		if recorded != "" {
			fmt.Fprintln(out, recorded)
		}
		return nil
	}
	defer func() {
		if recorded != "" {
			fmt.Fprintf(out, "\n%s\n", recorded)
		}
	}()
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

// writeSpec renders a build lab's specification as `read` renders a
// lesson: styled on a terminal, plain text (no escapes, tables drawn) in a
// pipe or file or under NO_COLOR.
func writeSpec(out io.Writer, md, themeFlag string) error {
	theme, err := themeFromEnv(themeFlag)
	if err != nil {
		return err
	}
	width, tty := terminalWidth(out)
	switch {
	case !tty:
		theme = render.Plain
	case theme == "":
		theme = render.Dark
	}
	if width <= 0 {
		width = readWidthDefault
	}
	width = min(width, readWidthCap)
	// The same renderer as `read`: plain text when piped, styled on a
	// terminal; the spec is the program's own text, sanitised all the same.
	text, err := render.Render(render.NeutralizeCharRefs(md), render.Options{Width: width, Theme: theme})
	if err != nil {
		return fmt.Errorf("rendering the specification: %w", err)
	}
	text = render.TerminalSafe(text, theme != render.Plain)
	_, err = io.WriteString(out, text)
	return err
}

// recordCheck keeps a finished check in the learner's progress, as the
// lab screen does, for every lesson of the course whose build lab block
// runs this lab; it returns a line saying where, or that no lesson has it.
func recordCheck(ctx context.Context, g *globals, labID string, rep labs.Report) (string, error) {
	course, _, err := g.LoadCourse()
	if err != nil {
		return "", err
	}
	type block struct{ lesson, title, lab string }
	var blocks []block
	for _, l := range course.Lessons() {
		for _, b := range l.Labs {
			if b.Kind != labs.KindBuild {
				continue
			}
			if spec, err := labs.DecodeBuild(b); err == nil && spec.Lab == labID {
				blocks = append(blocks, block{l.ID, l.Title, b.ID})
			}
		}
	}
	if len(blocks) == 0 {
		return "No lesson of this course has the " + labID + " lab, so the check is not kept in your progress.", nil
	}
	store, err := g.OpenStore(ctx)
	if err != nil {
		return "", err
	}
	defer store.Close()
	user := g.UserName()
	learner, err := store.Learner(user)
	if err != nil {
		return "", err
	}
	var titles []string
	for _, b := range blocks {
		if err := tui.RecordBuildCheck(ctx, learner, b.lesson, b.lab, rep); err != nil {
			return "", fmt.Errorf("saving the check: %w", err)
		}
		titles = append(titles, fmt.Sprintf("%q", b.title))
	}
	return fmt.Sprintf("Kept in %s's progress (lesson %s).", user, strings.Join(titles, ", ")), nil
}
