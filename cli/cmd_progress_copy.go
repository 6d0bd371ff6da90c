package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"serverside/progress"
)

func newProgressCopyCmd() *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:   "copy --from FILE_OR_URL --to FILE_OR_URL",
		Short: "Copy every learner's progress from one database to another",
		Long: "copy moves a class between progress databases: a SQLite file and a PostgreSQL\n" +
			"server (postgres://user@host/db), either way round. Every learner's answers,\n" +
			"lesson states, review schedule, flags and lab tasks are merged into the target\n" +
			"as `progress import` merges an export, keeping lesson and question ids and\n" +
			"times: copying twice adds nothing the second time. Answers hidden by a reset\n" +
			"are not copied. The source is only read. A class moves onto a server with\n" +
			"--to postgres://tutor@db.example/class (the password, if any, from ~/.pgpass).",
		Example: "  serverside progress copy --from class.db --to class-backup.db",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return fmt.Errorf("copy needs both --from and --to: a progress file or a postgres:// URL each")
			}
			ctx := cmd.Context()
			src, srcName, err := openBackend(ctx, from, true)
			if err != nil {
				return err
			}
			defer src.Close()
			dst, dstName, err := openBackend(ctx, to, false)
			if err != nil {
				return err
			}
			defer dst.Close()
			sum, err := copyProgress(ctx, src, dst)
			if err != nil {
				return fmt.Errorf("copy from %s to %s: %w (learners copied before this one stay copied; running copy again is safe)", srcName, dstName, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Copied %s from %s to %s: %s, %s, %s, %s, %s added.\n",
				countOf(sum.learners, "learner"), srcName, dstName,
				countOf(sum.Attempts, "answer"), countOf(sum.LessonStates, "lesson state"),
				countOf(sum.Cards, "review card"), countOf(sum.Flags, "flag"), countOf(sum.LabTasks, "lab task"))
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the database to read: a progress file or a postgres:// URL")
	cmd.Flags().StringVar(&to, "to", "", "the database to merge into (a file is created when missing)")
	return cmd
}

type copySummary struct {
	learners int
	progress.ImportResult
}

// copyProgress merges every learner of src into dst through the export
// file, so a copy means exactly what an export and an import mean, on any
// pair of backends.
func copyProgress(ctx context.Context, src, dst progress.Backend) (copySummary, error) {
	var sum copySummary
	users, err := src.Users(ctx)
	if err != nil {
		return sum, err
	}
	var buf bytes.Buffer
	for _, u := range users {
		l, err := src.Learner(u.Name)
		if err != nil {
			return sum, err
		}
		buf.Reset()
		if err := l.Export(ctx, &buf); err != nil {
			return sum, err
		}
		res, err := dst.Import(ctx, io.Reader(&buf))
		if err != nil {
			return sum, fmt.Errorf("learner %s: %w", safeLine(u.Name), err)
		}
		sum.learners++
		sum.Attempts += res.Attempts
		sum.LessonStates += res.LessonStates
		sum.Cards += res.Cards
		sum.Flags += res.Flags
		sum.LabTasks += res.LabTasks
	}
	return sum, nil
}
