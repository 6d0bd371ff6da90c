package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"serverside/lessons"
	"serverside/progress"
	"serverside/termsafe"
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
		Example: "  serverside list\n  serverside list --json | jq -r '.modules[].lessons[].id'",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			course, store, err := g.openCourseAndStore(ctx)
			user := g.UserName()
			var states map[string]progress.LessonState
			switch {
			case errors.Is(err, errNoProgressYet):
				// A first look at the course before starting it: every
				// lesson is not started, and no database is created.
			case err != nil:
				return err
			default:
				defer store.Close()
				states, err = store.LessonStates(ctx, user)
				if err != nil {
					return fmt.Errorf("progress database %s: %w", store.Path(), err)
				}
			}
			listing := listCourse(course, user, states)
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(termsafe.NewJSONWriter(out))
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(listing)
			}
			width, _ := terminalWidth(out)
			return writeListing(out, listing, width)
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
// lessons' id, title and status in columns. On a terminal (width > 0) the
// rows fit its width, as gh's tables do: ids stay whole (they are what
// `read` and `quiz` take), a title too long for the room left ends in "…",
// and when not even that fits the title goes on a line of its own. Piped
// (width 0), rows keep their full text for scripts and pagers.
func writeListing(w io.Writer, cl courseListing, width int) error {
	idW, titleW, statusW := 0, 0, 0
	for _, m := range cl.Modules {
		for _, l := range m.Lessons {
			idW = max(idW, ansi.StringWidth(l.ID))
			titleW = max(titleW, ansi.StringWidth(l.Title))
			statusW = max(statusW, ansi.StringWidth(l.Status))
		}
	}
	const minTitle = 12
	stacked := false
	if width > 0 {
		// "  id  title  status"
		room := width - 2 - idW - 2 - 2 - statusW
		if room < minTitle {
			stacked = true
		}
		titleW = min(titleW, max(room, minTitle))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: progress of %s\n", cl.Title, safeLine(cl.User))
	counts := map[string]int{}
	total := 0
	for _, m := range cl.Modules {
		fmt.Fprintf(&b, "\n%s\n", fitLine(m.Title, width))
		if len(m.Lessons) == 0 {
			b.WriteString("  (no lessons loaded)\n")
		}
		for _, l := range m.Lessons {
			switch {
			case stacked:
				// Too narrow for columns: the id and status, then the title.
				b.WriteString(fitLine("  "+l.ID+"  "+l.Status, width) + "\n")
				b.WriteString(fitLine("    "+l.Title, width) + "\n")
			default:
				title := l.Title
				if width > 0 {
					title = ansi.Truncate(title, titleW, "…")
				}
				b.WriteString("  " + pad(l.ID, idW) + "  " + pad(title, titleW) + "  " + l.Status + "\n")
			}
			counts[l.Status]++
			total++
		}
	}
	b.WriteString("\n" + wrapLine(fmt.Sprintf("%s: %d done, %d in progress, %d not started.", countOf(total, "lesson"),
		counts[progress.Done.String()], counts[progress.InProgress.String()], counts[progress.NotStarted.String()]), width) + "\n")
	if len(cl.Broken) > 0 {
		b.WriteString("\n" + wrapLine(fmt.Sprintf("%s could not be loaded (run `serverside lint` for every problem):", countOf(len(cl.Broken), "lesson file")), width) + "\n")
		for _, br := range cl.Broken {
			fmt.Fprintf(&b, "  %s\n", br.Path)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// wrapLine wraps a sentence at spaces to width; width 0 leaves it whole.
func wrapLine(s string, width int) string {
	if width <= 0 {
		return s
	}
	return strings.Join(wordWrap(s, width), "\n")
}

// fitLine cuts a line to width columns with "…"; width 0 leaves it whole.
func fitLine(s string, width int) string {
	if width <= 0 {
		return s
	}
	return ansi.Truncate(s, width, "…")
}
