package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"serverside/lessons"
	"serverside/progress"
	"serverside/termsafe"
)

// progressSummary is what `serverside progress --json` prints. Field names
// are part of the command's interface for scripts: add, don't rename.
type progressSummary struct {
	User      string `json:"user"`
	Database  string `json:"database"`
	Lessons   int    `json:"lessons"`   // in the course
	Done      int    `json:"done"`      // lessons completed
	Started   int    `json:"started"`   // lessons in progress
	Questions int    `json:"questions"` // in the course
	Answered  int    `json:"answered"`  // distinct questions answered
	Right     int    `json:"right"`     // questions whose latest answer is right
	Attempts  int    `json:"attempts"`
	Correct   int    `json:"correct"`
	// Accuracy is correct / attempts, 0..1.
	Accuracy   float64 `json:"accuracy"`
	StreakDays int     `json:"streak_days"`
	Seconds    int     `json:"seconds"`
	DueNow     int     `json:"due_now"`
	// Forecast counts reviews due on each of the next 7 days, today first.
	Forecast []int            `json:"forecast"`
	Modules  []moduleProgress `json:"modules"`
}

type moduleProgress struct {
	ID      string           `json:"id"`
	Title   string           `json:"title"`
	Lessons []lessonProgress `json:"lessons"`
}

func newProgressCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "progress",
		Short: "Show your progress; export, import or reset it",
		Long: "progress prints your summary: lessons done, questions answered and your score per\n" +
			"lesson, accuracy, day streak, time spent and reviews coming up. Sub-commands move\n" +
			"progress between machines (export, import) and start lessons afresh (reset,\n" +
			"undo-reset). --user picks whose progress; --db picks the database file.",
		Example: "  serverside progress\n  serverside progress --json | jq .streak_days\n" +
			"  serverside progress export > me.json\n  serverside progress reset http-caching",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			course, store, err := g.openCourseAndStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			user := g.UserName()
			stats, err := store.Stats(ctx, user, time.Now())
			if err != nil {
				return fmt.Errorf("progress database %s: %w", store.Path(), err)
			}
			sum := summarizeProgress(course, stats, store.Path())
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(termsafe.NewJSONWriter(out))
				enc.SetIndent("", "  ")
				return enc.Encode(sum)
			}
			return writeSummary(out, sum)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	cmd.AddCommand(newProgressExportCmd(g), newProgressImportCmd(g), newProgressResetCmd(g), newProgressUndoResetCmd(g), newProgressCopyCmd())
	return cmd
}

// summarizeProgress lays the user's stats over the course, lesson by lesson.
func summarizeProgress(c *lessons.Course, st progress.Stats, db string) progressSummary {
	sum := progressSummary{User: st.User, Database: db, Attempts: st.Attempts, Correct: st.Correct,
		Accuracy: st.Accuracy(), StreakDays: st.StreakDays, Seconds: st.Seconds, DueNow: st.DueNow,
		Forecast: st.Forecast, Modules: []moduleProgress{}}
	for _, m := range c.Modules {
		mp := moduleProgress{ID: m.ID, Title: safeLine(m.Title), Lessons: []lessonProgress{}}
		for _, l := range m.Lessons {
			lp := lessonFigures(l, st.Lessons[l.ID])
			mp.Lessons = append(mp.Lessons, lp)
			sum.Lessons++
			sum.Questions += lp.Questions
			sum.Answered += lp.Answered
			sum.Right += lp.Right
			switch st.Lessons[l.ID].Status {
			case progress.Done:
				sum.Done++
			case progress.InProgress:
				sum.Started++
			}
		}
		sum.Modules = append(sum.Modules, mp)
	}
	return sum
}

func writeSummary(w io.Writer, s progressSummary) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Progress of %s\n\n", safeLine(s.User))
	fmt.Fprintf(&b, "  Lessons    %d of %d done, %d in progress\n", s.Done, s.Lessons, s.Started)
	fmt.Fprintf(&b, "  Questions  %d of %d answered, %d right (%s)\n", s.Answered, s.Questions, s.Right, ratioText(s.Right, s.Questions))
	fmt.Fprintf(&b, "  Accuracy   %s of %d answers\n", fractionText(s.Accuracy, s.Attempts > 0), s.Attempts)
	fmt.Fprintf(&b, "  Streak     %s\n", countOf(s.StreakDays, "day"))
	fmt.Fprintf(&b, "  Time       %s\n", readingTime(s.Seconds))
	fmt.Fprintf(&b, "  Reviews    %d due today; next 7 days: %s\n", s.DueNow, joinCounts(s.Forecast))

	idW, titleW := 0, 0
	for _, m := range s.Modules {
		for _, l := range m.Lessons {
			idW, titleW = max(idW, len(l.ID)), max(titleW, len(l.Title))
		}
	}
	for _, m := range s.Modules {
		fmt.Fprintf(&b, "\n%s\n", m.Title)
		for _, l := range m.Lessons {
			score := "-"
			if l.Questions > 0 {
				score = fmt.Sprintf("%d/%d right", l.Right, l.Questions)
			}
			fmt.Fprintf(&b, "  %s  %s  %-11s  %-10s  %s\n", pad(l.ID, idW), pad(l.Title, titleW), l.Status, score, readingTime(l.Seconds))
		}
	}
	fmt.Fprintf(&b, "\nDatabase: %s\n", s.Database)
	_, err := io.WriteString(w, b.String())
	return err
}

func joinCounts(v []int) string {
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, " ")
}

func newProgressExportCmd(g *globals) *cobra.Command {
	var outPath string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write your progress as JSON (to stdout, or --output FILE)",
		Long: "export writes everything serverside keeps about you (answers, lesson states,\n" +
			"review schedule, flags) as a versioned JSON file that `serverside progress import`\n" +
			"reads back, here or on another machine. Answers hidden by a reset are left out.",
		Example: "  serverside progress export > me.json\n  serverside progress export --output me.json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			store, err := g.OpenExistingStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			if outPath == "" || outPath == "-" {
				return store.Export(ctx, g.UserName(), cmd.OutOrStdout())
			}
			if err := checkExportTarget(outPath, store.Path()); err != nil {
				return err
			}
			// Write beside the target and rename, so a failed export never
			// leaves half a file where a good one was.
			tmp, err := os.CreateTemp(exportDir(outPath), ".serverside-export-*")
			if err != nil {
				return fmt.Errorf("export to %s: %w", outPath, err)
			}
			defer os.Remove(tmp.Name())
			if err := store.Export(ctx, g.UserName(), tmp); err != nil {
				tmp.Close()
				return err
			}
			if err := tmp.Close(); err != nil {
				return fmt.Errorf("export to %s: %w", outPath, err)
			}
			if err := os.Rename(tmp.Name(), outPath); err != nil {
				return fmt.Errorf("export to %s: %w", outPath, err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Exported the progress of %s to %s.\n", safeLine(g.UserName()), outPath)
			return nil
		},
	}
	cmd.Flags().StringVarP(&outPath, "output", "o", "", "write to this file instead of stdout")
	return cmd
}

func exportDir(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}

func newProgressImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Merge a progress export into this database",
		Long: "import merges a file written by `serverside progress export` into the database, for\n" +
			"the user named in the file. Importing the same file twice adds nothing the second\n" +
			"time. Use - to read from stdin.",
		Example: "  serverside progress import me.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var r io.Reader = cmd.InOrStdin()
			name := args[0]
			if name == "-" {
				name = "stdin"
			} else {
				f, err := os.Open(args[0])
				if err != nil {
					return fmt.Errorf("cannot import %s: %s", args[0], osProblem(err))
				}
				defer f.Close()
				r = f
			}
			// Keep what was read, to say at which line the file goes wrong.
			var seen bytes.Buffer
			r = io.TeeReader(r, &seen)
			ctx := cmd.Context()
			store, err := g.OpenStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			res, err := store.Import(ctx, r)
			if err != nil {
				problem, notExport := importProblem(err, seen.Bytes())
				msg := fmt.Sprintf("cannot import %s: %s; nothing was changed", name, problem)
				if notExport {
					msg += "\n  a progress export is what `serverside progress export` writes"
				}
				return errors.New(msg)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Imported the progress of %s: %s, %s, %s, %s, %s.\n", safeLine(res.User),
				countOf(res.Attempts, "new answer"), countOf(res.LessonStates, "lesson state"),
				countOf(res.Cards, "review card"), countOf(res.Flags, "flag"), countOf(res.LabTasks, "lab task"))
			return nil
		},
	}
}

func newProgressResetCmd(g *globals) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "reset [LESSON_ID]",
		Short: "Start a lesson (or everything) afresh; undo with undo-reset",
		Long: "reset clears your answers, lesson state and review schedule for one lesson, or for\n" +
			"every lesson when no id is given. Nothing is deleted: `serverside progress\n" +
			"undo-reset` brings back what the last reset cleared. It asks first unless --yes.",
		Example: "  serverside progress reset http-caching\n  serverside progress reset --yes",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			user := g.UserName()
			what := "all your progress"
			lessonID := ""
			var course *lessons.Course
			if len(args) == 1 {
				lessonID = args[0]
				what = "your progress in lesson " + lessonID
				var err error
				if course, _, err = g.LoadCourse(); err != nil {
					return err
				}
				if l := course.Lesson(lessonID); l != nil {
					what = fmt.Sprintf("your progress in %q (%s)", safeLine(l.Title), lessonID)
				}
			}
			store, err := g.OpenExistingStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			if lessonID != "" && course.Lesson(lessonID) == nil {
				// Neither in the course nor in the database is most likely a
				// typo, and a reset of nothing would be confusing. A lesson
				// since removed from the course can still be reset.
				stats, err := store.Stats(ctx, user, time.Now())
				if err != nil {
					return fmt.Errorf("progress database %s: %w", store.Path(), err)
				}
				if _, known := stats.Lessons[lessonID]; !known {
					return fmt.Errorf("there is no lesson %q: `serverside list` shows the lesson ids", lessonID)
				}
			}
			if !yes {
				ok, err := askYesNo(cmd.InOrStdin(), cmd.ErrOrStderr(),
					fmt.Sprintf("Reset %s (user %s)? You can undo it with `serverside progress undo-reset`. [y/N] ", what, safeLine(user)))
				if err != nil {
					return err
				}
				if !ok {
					fmt.Fprintln(cmd.ErrOrStderr(), "Nothing was reset.")
					return nil
				}
			}
			if lessonID == "" {
				err = store.ResetAll(ctx, user)
			} else {
				err = store.ResetLesson(ctx, user, lessonID)
			}
			if err != nil {
				return fmt.Errorf("progress database %s: %w", store.Path(), err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Reset %s. `serverside progress undo-reset` brings it back.\n", what)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

// askYesNo asks a yes/no question; only "y" or "yes" agree. End of input
// (no terminal, nothing piped) means no.
func askYesNo(in io.Reader, out io.Writer, question string) (bool, error) {
	fmt.Fprint(out, question)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	if errors.Is(err, io.EOF) && line == "" {
		fmt.Fprintln(out)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

func newProgressUndoResetCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "undo-reset",
		Short: "Bring back what your last reset cleared",
		Long: "undo-reset restores the answers, lesson states and review schedule your most recent\n" +
			"reset cleared. Run it again to undo the reset before that.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			store, err := g.OpenExistingStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			err = store.UndoReset(ctx, g.UserName())
			if errors.Is(err, progress.ErrNothingToUndo) {
				return fmt.Errorf("%s has no reset to undo", safeLine(g.UserName()))
			}
			if err != nil {
				return fmt.Errorf("progress database %s: %w", store.Path(), err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), "Restored what the last reset cleared.")
			return nil
		},
	}
}

// importProblem says what is wrong with an import file in the words of the
// file (its fields, lines and records), not in Go's: a JSON decoding error
// names Go types such as progress.exportFile.
// notExport is true when the file is not an export at all.
func importProblem(err error, src []byte) (problem string, notExport bool) {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		line := lineOf(src, typeErr.Offset)
		if typeErr.Field == "" {
			return fmt.Sprintf("the file holds %s, but a progress export is an object {\"format\": \"%s\", ...}", jsonKind(typeErr.Value), progress.ExportFormat), true
		}
		field := typeErr.Field
		if p := jsonPathAt(src, typeErr.Offset); p != "" {
			field = p
		}
		return fmt.Sprintf("line %d: %s should be %s, not %s", line, field, jsonWant(typeErr.Type.Kind().String(), typeErr.Type.String()), jsonKind(typeErr.Value)), false
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("line %d: not valid JSON (%s)", lineOf(src, syntaxErr.Offset), strings.TrimPrefix(syntaxErr.Error(), "json: ")), true
	case errors.Is(err, io.EOF) && len(bytes.TrimSpace(src)) == 0:
		return "the file is empty", true
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the file ends in the middle of its JSON: it was cut short", false
	}
	msg := err.Error()
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("unknown field %s: the file is not a progress export, or was written by another program", m[1]), true
	}
	return strings.TrimPrefix(msg, "import: "), strings.Contains(msg, "not a serverside progress export")
}

// jsonPathAt names the value of src that ends at byte off, with the index
// of each record: "attempts[3].correct". "" when src does not get there.
func jsonPathAt(src []byte, off int64) string {
	type level struct {
		array bool
		index int
		key   string
	}
	var stack []level
	dec := json.NewDecoder(bytes.NewReader(src))
	expectKey := false
	name := func() string {
		var b strings.Builder
		for _, l := range stack {
			if l.array {
				fmt.Fprintf(&b, "[%d]", l.index)
			} else if l.key != "" {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(l.key)
			}
		}
		return b.String()
	}
	// afterValue moves past a value in the enclosing array or object.
	afterValue := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				expectKey = true
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, level{})
				expectKey = true
				continue
			case '[':
				stack = append(stack, level{array: true})
				continue
			default:
				if dec.InputOffset() >= off {
					return name()
				}
				stack = stack[:len(stack)-1]
				afterValue()
				continue
			}
		case string:
			if expectKey && len(stack) > 0 && !stack[len(stack)-1].array {
				stack[len(stack)-1].key = t
				expectKey = false
				continue
			}
		}
		if dec.InputOffset() >= off {
			return name()
		}
		afterValue()
	}
}

var unknownField = regexp.MustCompile(`json: unknown field ("[^"]*")`)

func lineOf(src []byte, off int64) int {
	off = min(max(off, 0), int64(len(src)))
	return bytes.Count(src[:off], []byte("\n")) + 1
}

// jsonKind names what the file holds where a value was wrong.
func jsonKind(v string) string {
	switch v {
	case "array":
		return "a list"
	case "object":
		return "an object"
	case "string":
		return "text"
	case "bool":
		return "true or false"
	case "":
		return "something else"
	}
	if strings.HasPrefix(v, "number") {
		return "a number"
	}
	return v
}

// jsonWant names, in JSON's words, what Go wanted there.
func jsonWant(kind, typ string) string {
	switch {
	case typ == "time.Time":
		return "a time such as \"2026-01-02T15:04:05Z\""
	case kind == "string":
		return "text"
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "bool":
		return "true or false"
	case kind == "slice", kind == "array":
		return "a list"
	}
	return "an object"
}

// osProblem is an error opening a file without Go's "open NAME:" prefix.
func osProblem(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "the file does not exist"
		case errors.Is(err, fs.ErrPermission):
			return "permission denied"
		}
		return pe.Err.Error()
	}
	return err.Error()
}
