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
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…"; when it
// is not, the version comes from the build info (see versionString).
var version = ""

func main() {
	// SIGHUP is the terminal closing: end as cleanly as on SIGINT and
	// SIGTERM (an open SQL lab removes its files), not at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, newRootCmd(), os.Stderr)
	stop()
	os.Exit(code)
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

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of serverside",
		Long: "version prints the version of serverside: the one stamped at build time, or the\n" +
			"module version and the commit it was built from (with \"modified\" when the working\n" +
			"tree had changes), as Go records them in the binary.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "serverside %s\n", versionString())
			return err
		},
	}
}

// versionString is the stamped version, or what the build info says.
func versionString() string {
	info, _ := debug.ReadBuildInfo()
	return describeVersion(version, info)
}

// describeVersion says which serverside this is: "v1.2.0", or from the
// build info "v1.2.0 (commit 1a2b3c4d5e6f, 2026-11-30)" or "(devel) (commit
// 1a2b3c4d5e6f, modified)" for a build from a working tree with changes.
func describeVersion(stamped string, info *debug.BuildInfo) string {
	if stamped != "" {
		return stamped
	}
	if info == nil {
		return "unknown (no build information in the binary)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var extra []string
	if rev != "" {
		extra = append(extra, "commit "+rev[:min(12, len(rev))])
	}
	if t, err := time.Parse(time.RFC3339, when); err == nil {
		extra = append(extra, t.UTC().Format(time.DateOnly))
	}
	if modified {
		extra = append(extra, "modified")
	}
	if len(extra) > 0 {
		v += " (" + strings.Join(extra, ", ") + ")"
	}
	if info.GoVersion != "" {
		v += ", " + info.GoVersion
	}
	return v
}
