package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"serverside/lessons"
)

func newInitCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "init DIR",
		Short: "Start a new course: course.yaml, a module and a lesson with every question type",
		Long: "init writes a small course into DIR (created if needed): course.yaml, one module and one\n" +
			"lesson that asks one question of every type, with hints and references. It passes lint\n" +
			"as it is; edit it while `serverside --lessons DIR` shows your changes live. init never\n" +
			"overwrites a file: if any of its files exists, it writes nothing.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			files, err := lessons.Scaffold(dir)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, f := range files {
				fmt.Fprintf(out, "created %s\n", f)
			}
			prefix := ""
			if g.dbPath != "" {
				prefix = " --db " + g.dbPath
			}
			fmt.Fprintf(out, "\nNext:\n  serverside%s --lessons %s   open it, and see your edits live\n  serverside lint %s         check it\n", prefix, dir, dir)
			return nil
		},
	}
}
