package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"serverside/lessons"
	"serverside/render"
)

// Reading widths: long lines are hard to read, so a wide terminal gets
// readWidthCap columns; a pipe or file gets readWidthDefault.
const (
	readWidthDefault = 80
	readWidthCap     = 100
	readWidthMin     = 20
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

// findLesson finds a lesson by id, or by its path in the course. The error
// says how to find the right id.
func findLesson(c *lessons.Course, arg string) (*lessons.Lesson, error) {
	if l := c.Lesson(arg); l != nil {
		return l, nil
	}
	if l := c.LessonAt(strings.TrimPrefix(arg, "./")); l != nil {
		return l, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "no lesson %q in this course: run `serverside list` to see the lesson ids", safeLine(arg))
	if like := similarLessons(c, arg); len(like) > 0 {
		fmt.Fprintf(&b, "\n  similar ids: %s", strings.Join(like, ", "))
	}
	if n := len(c.Broken); n > 0 {
		fmt.Fprintf(&b, "\n  %d lesson file(s) could not be loaded: run `serverside lint` to see why", n)
	}
	return nil, errors.New(b.String())
}

// similarLessons suggests up to three lesson ids close to what was typed:
// ids or titles that contain it, then ids a few typing mistakes away,
// closest first.
func similarLessons(c *lessons.Course, arg string) []string {
	want := strings.ToLower(strings.TrimSpace(arg))
	if len(want) < 3 {
		return nil
	}
	type candidate struct {
		id   string
		dist int
	}
	var found []candidate
	for _, l := range c.Lessons() {
		id := strings.ToLower(l.ID)
		switch d := editDistance(want, id); {
		case strings.Contains(id, want) || strings.Contains(strings.ToLower(l.Title), want):
			found = append(found, candidate{l.ID, 0})
		case d <= max(2, len(want)/3):
			found = append(found, candidate{l.ID, d})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].dist < found[j].dist })
	var out []string
	for _, f := range found[:min(3, len(found))] {
		out = append(out, f.id)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in bytes (ids
// are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// terminalWidth reports whether f (a writer or reader) is a terminal and, when it is and its
// size can be read, its width in columns.
func terminalWidth(file any) (int, bool) {
	f, ok := file.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0, false
	}
	cols, _, err := term.GetSize(f.Fd())
	if err != nil || cols <= 0 {
		return 0, true
	}
	return cols, true
}

// renderLesson renders a lesson for `serverside read`: the markdown of
// lessonMarkdown through glamour, then made safe for a terminal.
//
// Plain text is glamour's dark style with every escape removed, rather than
// its no-TTY style, which keeps markdown's emphasis markers ("**") that a
// screen reader reads out. It also loses glamour's margin and the trailing
// spaces glamour pads lines with.
func renderLesson(c *lessons.Course, l *lessons.Lesson, width int, theme render.Theme) (string, error) {
	plain := theme == render.Plain
	style := theme
	if plain {
		style = render.Dark
	}
	md := render.NeutralizeCharRefs(lessonMarkdown(c, l, plain))
	out, err := render.Markdown(md, width, style)
	if err != nil {
		return "", err
	}
	if plain {
		return "# " + safeLine(l.Title) + "\n\n" + tidyPlain(render.TerminalSafe(out, false)), nil
	}
	return render.TerminalSafe(out, true), nil
}

// lessonMarkdown is the lesson as one markdown document: a title heading
// (unless the body starts with one), the body with a short paragraph where
// each question and lab stands, and a closing line saying how to answer.
// Links to other lessons name the lesson's id, which `serverside read`
// takes, instead of a file path. plain leaves out emphasis, and the title:
// renderLesson writes it as a markdown heading, which glamour's dark style
// would not.
func lessonMarkdown(c *lessons.Course, l *lessons.Lesson, plain bool) string {
	type insert struct {
		offset int
		text   string
	}
	var inserts []insert
	for i, q := range l.Questions {
		label := fmt.Sprintf("Question %d:", i+1)
		if !plain {
			label = "**" + label + "**"
		}
		inserts = append(inserts, insert{q.Offset, label + " " + q.Prompt})
	}
	for _, lab := range l.Labs {
		name := lab.Title
		if name == "" {
			name = lab.ID
		}
		label := "Lab:"
		if !plain {
			label = "**Lab:**"
		}
		inserts = append(inserts, insert{lab.Offset, label + " " + name + " (a hands-on exercise: it runs in the interactive app, serverside)."})
	}
	sort.SliceStable(inserts, func(i, j int) bool { return inserts[i].offset < inserts[j].offset })

	body, start := l.Body, 0
	titled := startsWithTitle(l)
	if plain && titled {
		// Skip the body's own title line; renderLesson writes the title.
		h := l.Headings[0].Offset
		if nl := strings.IndexByte(body[h:], '\n'); nl >= 0 {
			start = h + nl + 1
		} else {
			start = len(body)
		}
	}
	var b strings.Builder
	if !plain && !titled {
		b.WriteString("# " + l.Title + "\n\n")
	}
	prev := start
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
		// An indented code block, so the command is never wrapped.
		b.WriteString("\n\n---\n\nThis lesson asks " + what + " in the app, or with:\n\n    serverside quiz " + l.ID + " --plain\n")
	}
	return linkLessonIDs(c, l, b.String())
}

// linkLessonIDs rewrites inline links to other lessons of the course,
// "[text](../02-http/05-caching.md)", as "text (lesson: http-caching)": a
// file path means nothing to someone using the built-in course, an id is
// what `serverside read` takes.
func linkLessonIDs(c *lessons.Course, l *lessons.Lesson, md string) string {
	done := map[string]bool{}
	for _, k := range l.Links {
		if done[k.Target] {
			continue
		}
		done[k.Target] = true
		target := c.LessonAt(k.Path)
		if target == nil {
			continue
		}
		re, err := regexp.Compile(`\[([^\[\]]*)\]\(\s*` + regexp.QuoteMeta(k.Target) + `\s*\)`)
		if err != nil {
			continue
		}
		md = re.ReplaceAllString(md, "${1} (lesson: "+target.ID+")")
	}
	return md
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

// tidyPlain removes the margin glamour puts on every line, trailing spaces,
// and blank lines at the start and end, keeping relative indentation (code
// blocks, lists).
func tidyPlain(s string) string {
	lines := strings.Split(s, "\n")
	margin := -1
	for i, line := range lines {
		line = strings.TrimRight(line, " \t\u00a0")
		lines[i] = line
		if line == "" {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if margin < 0 || indent < margin {
			margin = indent
		}
	}
	var out []string
	blank := 0
	for _, line := range lines {
		if line == "" {
			blank++
			continue
		}
		if len(out) > 0 {
			for ; blank > 0; blank-- {
				out = append(out, "")
			}
		}
		blank = 0
		out = append(out, line[max(margin, 0):])
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

// safeLine makes a one-line string safe to print: control characters
// dropped, newlines turned into spaces.
func safeLine(s string) string {
	return render.TerminalSafe(strings.ReplaceAll(strings.ReplaceAll(s, "\r", " "), "\n", " "), false)
}
