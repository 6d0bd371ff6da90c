package cli

import (
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// version is set at build time with
// -ldflags "-X serverside/cli.version=…"; when it is not, the version comes
// from the build info (see versionString).
var version = ""

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
