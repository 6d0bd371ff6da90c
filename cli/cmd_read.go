package cli

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"serverside/lessons"
	"serverside/render"
)

func newReadCmd(g *globals) *cobra.Command {
	var width int
	var plain bool
	cmd := &cobra.Command{
		Use:   "read LESSON_ID",
		Short: "Print a lesson (plain text when piped, for scripts and screen readers)",
		Long: "read prints one lesson: its title and body, with each question shown where it stands\n" +
			"as a short \"Question N: …\" paragraph (choices and answers are left to\n" +
			"`serverside quiz LESSON_ID --plain`, so reading never gives them away).\n\n" +
			"The text is styled when stdout is a terminal. It is plain text with no escape\n" +
			"sequences at all when stdout is a pipe or a file, with --plain, with --theme plain,\n" +
			"or when NO_COLOR is set or TERM=dumb. Lines are wrapped to --width (20 to 200\n" +
			"columns; a wider one is treated as 200), else to the terminal's width (at most\n" +
			"100), else to 80 columns.\n\n" +
			"LESSON_ID is a lesson id as `serverside list` shows it (a lesson file's path\n" +
			"relative to the course works too).",
		Example: "  serverside read client-server\n  serverside read client-server --plain | less\n  serverside read http-caching --width 60",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("width") && width < readWidthMin {
				return fmt.Errorf("--width %d is too narrow: give at least %d columns", width, readWidthMin)
			}
			width = min(width, render.MaxWidth)
			theme, err := themeFromEnv(g.theme)
			if err != nil {
				return err
			}
			course, _, err := g.LoadCourse()
			if err != nil {
				return err
			}
			lesson, err := findLesson(course, args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			termWidth, tty := terminalWidth(out)
			if plain || !tty {
				theme = render.Plain
			} else if theme == "" {
				// There is no asking the terminal its background from here
				// without reading stdin, which may be a script's input.
				theme = render.Dark
			}
			if !cmd.Flags().Changed("width") {
				width = readWidthDefault
				if termWidth > 0 {
					width = min(termWidth, readWidthCap)
				}
			}
			text, err := renderLesson(course, lesson, width, theme)
			if err != nil {
				return fmt.Errorf("rendering %s: %w", course.DisplayPath(lesson.Path), err)
			}
			_, err = io.WriteString(out, text)
			return err
		},
	}
	cmd.Flags().IntVar(&width, "width", 0, "wrap lines to this many columns, 20 to 200 (default: the terminal's width up to 100, or 80)")
	cmd.Flags().BoolVar(&plain, "plain", false, "print plain text with no escape sequences, even on a terminal")
	return cmd
}

// renderLesson renders a lesson for `serverside read`: the markdown of
// lessonMarkdown, plain or styled. Both show the same text: the lesson's
// own first heading, links to lessons by the target's title and id, and
// links and images to files of the course by their path.
func renderLesson(c *lessons.Course, l *lessons.Lesson, width int, theme render.Theme) (string, error) {
	return render.Render(lessonMarkdown(l), render.Options{
		Width: width,
		Theme: theme,
		Links: func(dest string, image bool) (render.Target, bool) {
			target, file := c.ResolveLink(l, dest)
			switch {
			case target != nil && !image:
				// The id is what `serverside read` takes.
				return render.Target{Lesson: "(lesson: " + target.Title + ", " + target.ID + ")"}, true
			case file != "":
				return render.Target{Path: c.DisplayPath(file)}, true
			}
			return render.Target{}, false
		},
	})
}

// lessonMarkdown is the lesson as one markdown document: a title heading
// (unless the body starts with one, which is then the title shown), the
// body with a short paragraph where each question and lab stands, and a
// closing line saying how to answer.
func lessonMarkdown(l *lessons.Lesson) string {
	type insert struct {
		offset int
		text   string
	}
	var inserts []insert
	for i, q := range l.Questions {
		inserts = append(inserts, insert{q.Offset, fmt.Sprintf("**Question %d:** %s", i+1, q.Prompt)})
	}
	for _, lab := range l.Labs {
		name := lab.Title
		if name == "" {
			name = lab.ID
		}
		inserts = append(inserts, insert{lab.Offset, "**Lab:** " + name + " (a hands-on exercise: it runs in the interactive app, serverside)."})
	}
	sort.SliceStable(inserts, func(i, j int) bool { return inserts[i].offset < inserts[j].offset })

	body := l.Body
	var b strings.Builder
	if !startsWithTitle(l) {
		b.WriteString("# " + l.Title + "\n\n")
	}
	prev := 0
	for _, in := range inserts {
		off := min(max(in.offset, prev), len(body))
		b.WriteString(body[prev:off])
		b.WriteString("\n\n" + in.text + "\n\n")
		prev = off
	}
	b.WriteString(body[prev:])
	if n := len(l.Questions); n > 0 {
		what := "1 question. Answer it"
		if n > 1 {
			what = strconv.Itoa(n) + " questions. Answer them"
		}
		// A code block, so the command is never wrapped.
		b.WriteString("\n\n---\n\nThis lesson asks " + what + " in the app, or with:\n\n    serverside quiz " + l.ID + " --plain\n")
	}
	return b.String()
}

// startsWithTitle reports whether the body opens with a level-1 heading, as
// lessons usually do, so the title is not printed twice.
func startsWithTitle(l *lessons.Lesson) bool {
	if len(l.Headings) == 0 {
		return false
	}
	// Offset is that of the heading's text, after the "# ".
	h := l.Headings[0]
	return h.Level == 1 && h.Offset <= len(l.Body) && strings.Trim(l.Body[:h.Offset], " \t\n#") == ""
}
