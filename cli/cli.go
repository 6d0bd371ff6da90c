// Package cli is serverside's command line: the root command and one file
// per subcommand, the composition root (flags, environment, config file) in
// globals.go and the text helpers the commands share in text.go. Only main
// imports it.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"serverside/coursecache"
)

// Main runs serverside with the command-line arguments args (without the
// program name) until ctx ends, printing errors to stderr, and returns the
// exit code.
func Main(ctx context.Context, args []string, stderr io.Writer) int {
	if needsBuiltinCourse(args) {
		// Most commands, the tutor first, load the built-in course: start
		// it now, beside the parsing of the command line and settings,
		// which come before it on the way to the tutor's first frame.
		coursecache.Prefetch()
	}
	root := newRootCmd()
	root.SetArgs(args)
	return run(ctx, root, stderr)
}

// needsBuiltinCourse guesses, from the command line alone, whether the
// command will load the built-in course. A wrong guess costs a load in the
// background, or nothing.
func needsBuiltinCourse(args []string) bool {
	if os.Getenv("SERVERSIDE_LESSONS") != "" {
		return false
	}
	for _, a := range args {
		if a == "--lessons" || strings.HasPrefix(a, "--lessons=") {
			return false
		}
	}
	if len(args) == 0 {
		return true
	}
	switch args[0] {
	case "version", "help", "completion", "users", "init", "-h", "--help", "-v", "--version":
		return false
	}
	return true
}

// run executes the command and prints its error, returning the exit code.
func run(ctx context.Context, root *cobra.Command, stderr io.Writer) int {
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	printError(stderr, err)
	return exitCode(err)
}

// printError writes an error as the user should read it: their words as
// they typed them (fang's handler capitalised the first letter, turning
// "myExport.json" into "Myexport.json"), a usage hint for a mistyped
// command line, and colour only on a terminal.
func printError(w io.Writer, err error) {
	var ec *exitCodeError
	if errors.As(err, &ec) && ec.quiet {
		return
	}
	msg := strings.TrimRight(err.Error(), "\n")
	usage := isUsageError(msg)
	if f, ok := w.(term.File); !ok || !term.IsTerminal(f.Fd()) {
		fmt.Fprintf(w, "Error: %s\n", msg)
		if usage {
			fmt.Fprintln(w, "Run 'serverside --help' for usage.")
		}
		return
	}
	cw := colorprofile.NewWriter(w, os.Environ())
	st := newHelpStyles(w, false)
	head := lipgloss.NewStyle().Bold(true).Foreground(st.title.GetForeground()).Render("Error:")
	width := helpWidth(w)
	lines := strings.Split(msg, "\n")
	fmt.Fprintln(cw, hangingWrap(head+" "+lines[0], width, "", "  "))
	for _, l := range lines[1:] {
		lead := l[:len(l)-len(strings.TrimLeft(l, " "))]
		fmt.Fprintln(cw, hangingWrap(l, width, lead, lead+"  "))
	}
	if usage {
		fmt.Fprintln(cw, "Run "+st.flag.Render("serverside --help")+" for usage.")
	}
}

// isUsageError tells a mistyped command line from a failure of the
// command: cobra says so only in its words.
func isUsageError(msg string) bool {
	for _, prefix := range []string{"flag needs an argument", "unknown flag", "unknown shorthand flag", "unknown command",
		"invalid argument", "accepts ", "requires at least", "requires at most", "bad flag syntax"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
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
		Version:       versionString(),
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(cmd.Context(), g, tuiStart{})
		},
	}
	g.bind(root)
	root.SetHelpFunc(showHelp)
	root.SetVersionTemplate("serverside {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return err })
	root.AddCommand(
		newVersionCmd(),
		newReviewCmd(g),
		newLintCmd(g),
		newInitCmd(g),
		newReadCmd(g), newQuizCmd(g), newListCmd(g),
		newCheckCmd(g),
		newProgressCmd(g), newUsersCmd(g), newReportCmd(g),
		newServeCmd(g),
	)
	return root
}
