// Command serverside is a terminal tutor for server-side development: a
// course of lessons with quizzes, spaced review and labs, with progress kept
// per user in SQLite.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	// SIGHUP is the terminal closing: end as cleanly as on SIGINT and
	// SIGTERM (an open SQL lab removes its files), not at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	root := newRootCmd()
	err := fang.Execute(ctx, root, fang.WithVersion(version), fang.WithoutManpage(),
		fang.WithErrorHandler(func(w io.Writer, styles fang.Styles, err error) {
			var ec *exitCodeError
			if errors.As(err, &ec) && ec.quiet {
				return
			}
			fang.DefaultErrorHandler(w, styles, err)
		}))
	if err != nil {
		os.Exit(exitCode(err))
	}
}

// exitCodeError carries a specific exit status out of a command.
// quiet means the command already told the user; main prints nothing more.
type exitCodeError struct {
	code  int
	err   error
	quiet bool
}

func (e *exitCodeError) Error() string { return e.err.Error() }
func (e *exitCodeError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ec *exitCodeError
	if errors.As(err, &ec) {
		return ec.code
	}
	return 1
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "serverside",
		Short: "A terminal tutor for how backends work",
		Long: "serverside teaches server-side development in your terminal: lessons, quizzes with\n" +
			"explanations, spaced review and hands-on labs, with your progress kept on this machine.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(cmd.Context(), g, tuiStart{})
		},
	}
	g.bind(root)
	root.AddCommand(
		newVersionCmd(),
		newReviewCmd(g),
		newLintCmd(g),
		newInitCmd(g),
		newReadCmd(g), newQuizCmd(g), newListCmd(g),
		newCheckCmd(g),
		newProgressCmd(g), newUsersCmd(g), newReportCmd(g),
	)
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of serverside",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "serverside %s\n", version)
			return err
		},
	}
}
