package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"serverside/lessons"
	"serverside/progress"
)

// courseListing is what `serverside list --json` prints. Field names are
// part of the command's interface for scripts: add, don't rename.
type courseListing struct {
	Title   string          `json:"title"`
	User    string          `json:"user"`
	Modules []moduleListing `json:"modules"`
	// Broken lists lesson files that could not be loaded.
	Broken []brokenListing `json:"broken"`
}

type moduleListing struct {
	ID      string          `json:"id"`
	Title   string          `json:"title"`
	Summary string          `json:"summary,omitempty"`
	Lessons []lessonListing `json:"lessons"`
}

type lessonListing struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Summary   string `json:"summary,omitempty"`
	Path      string `json:"path"` // relative to the course directory
	Minutes   int    `json:"minutes,omitempty"`
	Questions int    `json:"questions"`
	// Status is "not started", "in progress" or "done".
	Status string `json:"status"`
}

type brokenListing struct {
	Path   string `json:"path"`
	Module string `json:"module"`
	Error  string `json:"error"`
}

func newListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the course's modules and lessons with your progress",
		Long: "list prints the course: each module's title, then its lessons' ids, titles and your\n" +
			"status (not started, in progress or done), in aligned columns. The ids are what\n" +
			"`serverside read` and `serverside quiz` take. With --json it prints the same for\n" +
			"scripts: modules, each with lessons (id, title, path, questions, status).",
		Example: "  serverside list\n  serverside list --json | jq -r '.modules[].lessons[] | select(.status != \"done\") | .id'",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			course, store, err := g.openCourseAndStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			user := g.UserName()
			states, err := store.LessonStates(ctx, user)
			if err != nil {
				return fmt.Errorf("progress database %s: %w", store.Path(), err)
			}
			listing := listCourse(course, user, states)
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(listing)
			}
			return writeListing(out, listing)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the course and your progress as JSON")
	return cmd
}

// listCourse puts the course and the user's lesson states together. Text
// from lesson files is made safe to print here, once, for both outputs.
func listCourse(c *lessons.Course, user string, states map[string]progress.LessonState) courseListing {
	out := courseListing{Title: safeLine(c.Title), User: user, Modules: []moduleListing{}, Broken: []brokenListing{}}
	for _, m := range c.Modules {
		ml := moduleListing{ID: m.ID, Title: safeLine(m.Title), Summary: safeLine(m.Summary), Lessons: []lessonListing{}}
		for _, l := range m.Lessons {
			ml.Lessons = append(ml.Lessons, lessonListing{
				ID: l.ID, Title: safeLine(l.Title), Summary: safeLine(l.Summary), Path: l.Path,
				Minutes: l.Minutes, Questions: len(l.Questions),
				// A lesson missing from the states is not started.
				Status: states[l.ID].Status.String(),
			})
		}
		out.Modules = append(out.Modules, ml)
	}
	for _, b := range c.Broken {
		msg := "could not be loaded"
		if b.Err != nil {
			msg = b.Err.Error()
		}
		out.Broken = append(out.Broken, brokenListing{Path: safeLine(b.Path), Module: b.Module, Error: safeLine(msg)})
	}
	return out
}

// writeListing prints the listing as text: one block per module, the
// lessons' id, title and status in columns aligned across the whole course.
func writeListing(w io.Writer, cl courseListing) error {
	idW, titleW := 0, 0
	for _, m := range cl.Modules {
		for _, l := range m.Lessons {
			idW = max(idW, ansi.StringWidth(l.ID))
			titleW = max(titleW, ansi.StringWidth(l.Title))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: progress of %s\n", cl.Title, safeLine(cl.User))
	counts := map[string]int{}
	total := 0
	for _, m := range cl.Modules {
		fmt.Fprintf(&b, "\n%s\n", m.Title)
		if len(m.Lessons) == 0 {
			b.WriteString("  (no lessons loaded)\n")
		}
		for _, l := range m.Lessons {
			b.WriteString("  " + pad(l.ID, idW) + "  " + pad(l.Title, titleW) + "  " + l.Status + "\n")
			counts[l.Status]++
			total++
		}
	}
	fmt.Fprintf(&b, "\n%s: %d done, %d in progress, %d not started.\n", count(total, "lesson", "lessons"),
		counts[progress.Done.String()], counts[progress.InProgress.String()], counts[progress.NotStarted.String()])
	if len(cl.Broken) > 0 {
		fmt.Fprintf(&b, "\n%s could not be loaded (run `serverside lint` for every problem):\n", count(len(cl.Broken), "lesson file", "lesson files"))
		for _, br := range cl.Broken {
			fmt.Fprintf(&b, "  %s\n", br.Path)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// pad fills s with spaces to width columns.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}
