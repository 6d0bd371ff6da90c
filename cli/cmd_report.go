package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"serverside/lessons"
	"serverside/progress"
	"serverside/termsafe"
)

// classReport is what `serverside report --format json` prints. Field
// names are part of the command's interface for scripts: add, don't rename.
type classReport struct {
	Course    string         `json:"course"`
	Database  string         `json:"database"`
	Generated time.Time      `json:"generated"`
	Lessons   []reportLesson `json:"lessons"` // the course's lessons, in order
	Users     []reportUser   `json:"users"`
	Flags     []reportFlag   `json:"flags"`
}

type reportLesson struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Module    string `json:"module"`
	Questions int    `json:"questions"`
}

type reportUser struct {
	User      string           `json:"user"`
	Done      int              `json:"done"`      // lessons completed
	Answered  int              `json:"answered"`  // distinct course questions answered
	Right     int              `json:"right"`     // course questions whose latest answer is right
	Questions int              `json:"questions"` // in the course
	Score     float64          `json:"score"`     // right / questions, 0..1
	Seconds   int              `json:"seconds"`
	LabTasks  int              `json:"lab_tasks"` // lab tasks done, in the course's lessons
	Lessons   []lessonProgress `json:"lessons"`   // same order as the report's lessons
}

type reportFlag struct {
	User       string    `json:"user"`
	LessonID   string    `json:"lesson_id"`
	QuestionID string    `json:"question_id"`
	Comment    string    `json:"comment"`
	At         time.Time `json:"at"`
}

func newReportCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Class report: every learner's completion and score per lesson, and flags",
		Long: "report is for instructors sharing one progress database (--db): a line per learner\n" +
			"with lessons done and score (questions whose latest answer is right, out of the\n" +
			"course's questions), then the questions learners flagged. --format csv gives one\n" +
			"row per learner and lesson for a spreadsheet; --format json gives everything.",
		Example: "  serverside --db class.db report\n  serverside --db class.db report --format csv > class.csv",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case "table", "csv", "json":
			default:
				return fmt.Errorf("--format %q: use table, csv or json", format)
			}
			ctx := cmd.Context()
			course, store, err := g.openCourseAndStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			rep, err := store.Report(ctx)
			if err != nil {
				return fmt.Errorf("progress database %s: %w", store.Path(), err)
			}
			cr := buildClassReport(course, rep, store.Path(), time.Now())
			out := cmd.OutOrStdout()
			switch format {
			case "json":
				enc := json.NewEncoder(termsafe.NewJSONWriter(out))
				enc.SetIndent("", "  ")
				return enc.Encode(cr)
			case "csv":
				return writeReportCSV(out, cr)
			}
			return writeReportTable(out, cr)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}

func buildClassReport(c *lessons.Course, rep progress.Report, db string, now time.Time) classReport {
	cr := classReport{Course: safeLine(c.Title), Database: db, Generated: now.UTC().Truncate(time.Second),
		Lessons: []reportLesson{}, Users: []reportUser{}, Flags: []reportFlag{}}
	all := c.Lessons()
	for _, l := range all {
		module := l.Module
		if m := c.Module(l.Module); m != nil {
			module = safeLine(m.Title)
		}
		cr.Lessons = append(cr.Lessons, reportLesson{ID: l.ID, Title: safeLine(l.Title), Module: module, Questions: len(l.Questions)})
	}
	for _, u := range rep.Users {
		ru := reportUser{User: safeLine(u.User), Lessons: []lessonProgress{}}
		for _, l := range all {
			lp := lessonFigures(l, u.Lessons[l.ID])
			lp.LabTasks = u.LabTasks[l.ID]
			ru.LabTasks += lp.LabTasks
			ru.Lessons = append(ru.Lessons, lp)
			ru.Answered += lp.Answered
			ru.Right += lp.Right
			ru.Questions += lp.Questions
			ru.Seconds += lp.Seconds
			if u.Lessons[l.ID].Status == progress.Done {
				ru.Done++
			}
		}
		if ru.Questions > 0 {
			ru.Score = float64(ru.Right) / float64(ru.Questions)
		}
		cr.Users = append(cr.Users, ru)
	}
	for _, f := range rep.Flags {
		cr.Flags = append(cr.Flags, reportFlag{User: safeLine(f.User), LessonID: safeLine(f.LessonID), QuestionID: safeLine(f.QuestionID),
			Comment: safeLine(f.Comment), At: f.At.UTC()})
	}
	return cr
}

func writeReportTable(w io.Writer, cr classReport) error {
	var b strings.Builder
	questions := 0
	for _, l := range cr.Lessons {
		questions += l.Questions
	}
	fmt.Fprintf(&b, "%s: %s, %s, %s\n\n", cr.Course, count(len(cr.Users), "learner", "learners"), count(len(cr.Lessons), "lesson", "lessons"), count(questions, "question", "questions"))
	nameW := len("LEARNER")
	for _, u := range cr.Users {
		nameW = max(nameW, len(u.User))
	}
	fmt.Fprintf(&b, "%s  %9s  %9s  %9s  %5s  %9s  %8s\n", pad("LEARNER", nameW), "DONE", "ANSWERED", "RIGHT", "SCORE", "LAB TASKS", "TIME")
	for _, u := range cr.Users {
		fmt.Fprintf(&b, "%s  %9s  %9s  %9d  %5s  %9d  %8s\n", pad(u.User, nameW),
			fmt.Sprintf("%d/%d", u.Done, len(cr.Lessons)), fmt.Sprintf("%d/%d", u.Answered, u.Questions), u.Right,
			ratioText(u.Right, u.Questions), u.LabTasks, readingTime(u.Seconds))
	}
	if len(cr.Users) == 0 {
		b.WriteString("(no learners yet)\n")
	}
	if len(cr.Flags) > 0 {
		fmt.Fprintf(&b, "\nFlagged questions (%d):\n", len(cr.Flags))
		for _, f := range cr.Flags {
			comment := f.Comment
			if comment == "" {
				comment = "(no comment)"
			}
			fmt.Fprintf(&b, "  %s/%s  by %s, %s: %s\n", f.LessonID, f.QuestionID, f.User, f.At.Local().Format(time.DateOnly), comment)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeReportCSV writes one row per learner and course lesson.
func writeReportCSV(w io.Writer, cr classReport) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"user", "module", "lesson_id", "lesson_title", "status", "questions", "answered", "right",
		"score", "attempts", "accuracy", "seconds", "lab_tasks"})
	for _, u := range cr.Users {
		for i, lp := range u.Lessons {
			l := cr.Lessons[i]
			_ = cw.Write([]string{csvSafe(u.User), csvSafe(l.Module), l.ID, csvSafe(l.Title), lp.Status,
				strconv.Itoa(lp.Questions), strconv.Itoa(lp.Answered), strconv.Itoa(lp.Right),
				strconv.FormatFloat(lp.Score, 'f', 3, 64), strconv.Itoa(lp.Attempts),
				strconv.FormatFloat(lp.Accuracy, 'f', 3, 64), strconv.Itoa(lp.Seconds), strconv.Itoa(lp.LabTasks)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a learner-chosen name or a
// title as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
