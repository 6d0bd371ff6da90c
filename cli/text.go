package cli

// The text helpers every command shares: counts and times in words, a
// lesson's figures, widths and padding, and safeLine, the one way outside
// text reaches a line of output.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"serverside/lessons"
	"serverside/progress"
	"serverside/render"
	"serverside/termsafe"
)

// count says n things in words: "1 lesson", "2 lessons".
func count(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Reading widths: long lines are hard to read, so a wide terminal gets
// readWidthCap columns; a pipe or file gets readWidthDefault.
const (
	readWidthDefault = 80
	readWidthCap     = 100
	readWidthMin     = 20
)

// findLesson finds a lesson by id, or by its path in the course. The error
// says how to find the right id.
func findLesson(c *lessons.Course, arg string) (*lessons.Lesson, error) {
	if l := c.Find(arg); l != nil {
		return l, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "no lesson %q in this course: run `serverside list` to see the lesson ids", safeLine(arg))
	if like := c.Similar(arg); len(like) > 0 {
		fmt.Fprintf(&b, "\n  similar ids: %s", strings.Join(like, ", "))
	}
	if n := len(c.Broken); n > 0 {
		fmt.Fprintf(&b, "\n  %s could not be loaded: run `serverside lint` to see why", count(n, "lesson file", "lesson files"))
	}
	return nil, errors.New(b.String())
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

// markdownLine is a question's choice or item as one line of plain text:
// its markdown rendered without markers.
func markdownLine(md string) string {
	return strings.ReplaceAll(render.Text(md, 0, nil), "\n", " ")
}

// safeLine makes a one-line string safe to print: control characters
// dropped, newlines turned into spaces.
func safeLine(s string) string { return termsafe.Line(s) }

type lessonProgress struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Status    string  `json:"status"` // "not started", "in progress" or "done"
	Questions int     `json:"questions"`
	Answered  int     `json:"answered"`
	Right     int     `json:"right"`
	Score     float64 `json:"score"` // right / questions, 0..1 (0 for a lesson without questions)
	Attempts  int     `json:"attempts"`
	Accuracy  float64 `json:"accuracy"`
	Seconds   int     `json:"seconds"`
	LabTasks  int     `json:"lab_tasks"` // lab tasks done in this lesson (in the class report)
}

// lessonFigures is one lesson's line of the summary and the report.
// Answers to questions no longer in the lesson still count as attempts but
// not towards the score, which is capped at the lesson's questions.
func lessonFigures(l *lessons.Lesson, ls progress.LessonStats) lessonProgress {
	lp := lessonProgress{ID: l.ID, Title: safeLine(l.Title), Status: ls.Status.String(),
		Questions: len(l.Questions), Answered: min(ls.Questions, len(l.Questions)), Right: min(ls.Right, len(l.Questions)),
		Attempts: ls.Attempts, Accuracy: ls.Accuracy(), Seconds: ls.Seconds}
	if lp.Questions > 0 {
		lp.Score = float64(lp.Right) / float64(lp.Questions)
	}
	return lp
}

func ratioText(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(b))
}

func fractionText(f float64, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*f)
}

func countOf(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// readingTime prints a reading time as "1h 05m", "12m" or "40s".
func readingTime(s int) string {
	switch {
	case s <= 0:
		return "-"
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm", s/60)
	}
	return fmt.Sprintf("%dh %02dm", s/3600, s%3600/60)
}

// pad fills s with spaces to width columns.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}

// wordWrap breaks s into lines of at most width columns at spaces only (a
// flag such as --output or a path is never split at its dashes or
// slashes); a word longer than width gets a line of its own.
func wordWrap(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	curW := 0
	for _, w := range strings.Fields(s) {
		ww := ansi.StringWidth(w)
		if curW > 0 && curW+1+ww > width {
			lines = append(lines, cur.String())
			cur.Reset()
			curW = 0
		}
		if curW > 0 {
			cur.WriteByte(' ')
			curW++
		}
		cur.WriteString(w)
		curW += ww
	}
	if curW > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
