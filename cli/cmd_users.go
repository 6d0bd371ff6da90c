package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"serverside/termsafe"
)

// userListing is one line of `serverside users --json`.
type userListing struct {
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	Current  bool      `json:"current"` // the user this command runs as (--user or the login name)
	Done     int       `json:"done"`    // lessons completed
	Answered int       `json:"answered"`
	Accuracy float64   `json:"accuracy"`
	Streak   int       `json:"streak_days"`
}

func newUsersCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "users",
		Short: "List the learners in the progress database",
		Long: "users lists everyone with progress in the database: name, when they started, lessons\n" +
			"done, questions answered, accuracy and day streak. The current user (--user, or your\n" +
			"login name) is marked with *. Pass --user NAME to any command to act as that learner.",
		Example: "  serverside users\n  serverside --user sam progress",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			store, err := g.OpenExistingStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			users, err := store.Users(ctx)
			if err != nil {
				return fmt.Errorf("progress database %s: %w", store.Path(), err)
			}
			now := time.Now()
			current := g.UserName()
			list := make([]userListing, 0, len(users))
			for _, u := range users {
				st, err := store.Stats(ctx, u.Name, now)
				if err != nil {
					return fmt.Errorf("progress database %s: %w", store.Path(), err)
				}
				list = append(list, userListing{Name: u.Name, Created: u.CreatedAt, Current: u.Name == current,
					Done: st.Completed, Answered: st.Questions, Accuracy: st.Accuracy(), Streak: st.StreakDays})
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(termsafe.NewJSONWriter(out))
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			}
			return writeUsers(out, list, store.Path())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the users as JSON")
	return cmd
}

func writeUsers(w io.Writer, list []userListing, db string) error {
	var b strings.Builder
	if len(list) == 0 {
		fmt.Fprintf(&b, "No learners yet in %s: start `serverside` to begin.\n", db)
		_, err := io.WriteString(w, b.String())
		return err
	}
	nameW := len("NAME")
	for _, u := range list {
		nameW = max(nameW, len(safeLine(u.Name)))
	}
	fmt.Fprintf(&b, "  %s  %-10s  %4s  %8s  %8s  %6s\n", pad("NAME", nameW), "SINCE", "DONE", "ANSWERED", "ACCURACY", "STREAK")
	for _, u := range list {
		mark := " "
		if u.Current {
			mark = "*"
		}
		fmt.Fprintf(&b, "%s %s  %-10s  %4d  %8d  %8s  %6d\n", mark, pad(safeLine(u.Name), nameW),
			u.Created.Local().Format(time.DateOnly), u.Done, u.Answered, fractionText(u.Accuracy, u.Answered > 0), u.Streak)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
