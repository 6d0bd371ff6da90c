package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"serverside/lessons"
	"serverside/progress"
	"serverside/render"
)

func newQuizCmd(g *globals) *cobra.Command {
	var plain bool
	cmd := &cobra.Command{
		Use:   "quiz LESSON_ID",
		Short: "Answer a lesson's questions as line prompts (for scripts and screen readers)",
		Long: "quiz asks a lesson's questions one at a time on stdin and stdout: the prompt, the\n" +
			"choices numbered from 1, then a \"> \" prompt. Answer with:\n\n" +
			"  a choice number            2\n" +
			"  several numbers (multi)    1,3   or   1 3\n" +
			"  true or false              t, f, true or false\n" +
			"  a short answer             the text\n" +
			"  a number                   1500, 1.5e3 or \"200 ms\"\n" +
			"  an order                   the item numbers as shown, first to last: 3 1 2\n" +
			"  a hint                     ? (the next hint; hints used are recorded)\n" +
			"  skip the question          skip (nothing is recorded; it counts as not answered)\n\n" +
			"An answer that can't be read is explained and asked again. Every answer is saved to\n" +
			"your progress before its feedback is printed, exactly as in the app, and the lesson\n" +
			"is marked done as in the app: once the latest answer to each of its questions is\n" +
			"right, however it was given (here, in the app, in review). End of input (Ctrl-D)\n" +
			"stops the quiz cleanly with a summary; answers given so far are kept.\n\n" +
			"Without --plain the quiz works the same way: this command is always the line-based\n" +
			"quiz (the interactive quiz is in the app, `serverside`).",
		Example: "  serverside quiz client-server --plain\n  printf '1\\nt\\n304\\n' | serverside quiz http-messages --plain",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			course, _, err := g.LoadCourse()
			if err != nil {
				return err
			}
			lesson, err := findLesson(course, args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(lesson.Questions) == 0 {
				_, err := fmt.Fprintf(out, "%s has no questions: read it with `serverside read %s`.\n", safeLine(lesson.Title), lesson.ID)
				return err
			}
			ctx := cmd.Context()
			store, err := g.OpenStore(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			user := g.UserName()
			if _, err := store.EnsureUser(ctx, user); err != nil {
				return fmt.Errorf("progress database %s: %w", store.Path(), err)
			}
			in := cmd.InOrStdin()
			_, inTTY := terminalWidth(in)
			readCtx, stopReading := context.WithCancel(ctx)
			defer stopReading()
			q := &lineQuiz{
				store: store, user: user, lesson: lesson,
				lines: readLines(readCtx, in), out: out,
				// A terminal echoes what is typed; a pipe does not, so the
				// transcript shows the answer after its prompt.
				echo: !inTTY,
			}
			return q.run(ctx)
		},
	}
	cmd.Flags().BoolVar(&plain, "plain", false, "line prompts on stdin/stdout (what this command always does; accepted for scripts that say so)")
	return cmd
}

// quizStore is what the line quiz needs from the progress database.
type quizStore interface {
	StartLesson(ctx context.Context, user, lessonID string) error
	RecordAttempt(ctx context.Context, a progress.Attempt) (progress.Attempt, error)
	LatestAttempts(ctx context.Context, user, lessonID string) (map[string]progress.Attempt, error)
	CompleteLesson(ctx context.Context, user, lessonID string) error
}

// lineQuiz asks one lesson's questions on a line-based terminal or pipe.
type lineQuiz struct {
	store  quizStore
	user   string
	lesson *lessons.Lesson
	lines  <-chan inputLine
	out    io.Writer
	echo   bool
}

// inputLine is one line of input, or the end of it (err set, io.EOF at a
// clean end).
type inputLine struct {
	text string
	err  error
}

// readLines reads r line by line on its own goroutine, so that an
// interrupt can stop a quiz that is waiting for input. The channel is
// closed after the end of input or a read error has been sent, or once ctx
// is done (lines nobody will ask for are not read).
func readLines(ctx context.Context, r io.Reader) <-chan inputLine {
	ch := make(chan inputLine)
	send := func(in inputLine) bool {
		select {
		case ch <- in:
			return true
		case <-ctx.Done():
			return false
		}
	}
	go func() {
		defer close(ch)
		br := bufio.NewReader(r)
		for {
			s, err := br.ReadString('\n')
			if s != "" && !send(inputLine{text: strings.TrimRight(s, "\r\n")}) {
				return
			}
			if err != nil {
				send(inputLine{err: err})
				return
			}
		}
	}()
	return ch
}

// errEndOfInput means the learner closed the input: a clean stop.
var errEndOfInput = errors.New("end of input")

// errSkipped means the learner skipped the question.
var errSkipped = errors.New("skipped")

func (z *lineQuiz) printf(format string, args ...any) {
	fmt.Fprintf(z.out, format, args...)
}

func (z *lineQuiz) run(ctx context.Context) error {
	l := z.lesson
	if err := z.store.StartLesson(ctx, z.user, l.ID); err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	total := len(l.Questions)
	z.printf("%s: %d question%s. Answer each on one line (? for a hint, skip to skip); end the input (Ctrl-D) to stop.\n", safeLine(l.Title), total, plural(total))
	right, answered, skipped := 0, 0, 0
	var stopErr error
	for i, q := range l.Questions {
		ok, err := z.ask(ctx, i, q)
		if errors.Is(err, errSkipped) {
			skipped++
			continue
		}
		if err != nil {
			stopErr = err
			break
		}
		answered++
		if ok {
			right++
		}
	}
	if stopErr != nil && !errors.Is(stopErr, errEndOfInput) && !errors.Is(stopErr, context.Canceled) {
		return stopErr
	}
	if stopErr != nil {
		z.printf("\n")
	}
	z.printf("\n%d of %d right", right, total)
	if left := total - answered; left > 0 {
		skips := ""
		if skipped > 0 {
			skips = fmt.Sprintf(", %d skipped", skipped)
		}
		z.printf(" (%d not answered%s; run the quiz again to finish)", left, skips)
	}
	z.printf(".\n")
	// The context may be cancelled by now; finishing the bookkeeping for
	// answers already saved is still right.
	done, err := z.completeIfAllRight(context.WithoutCancel(ctx))
	if err != nil {
		return err
	}
	if done {
		z.printf("The latest answer to each question is right: %s is done.\n", safeLine(l.Title))
	}
	if errors.Is(stopErr, context.Canceled) {
		return &exitCodeError{code: 130, err: stopErr, quiet: true}
	}
	return nil
}

// ask asks one question until it gets an answer it can read, saves it, then
// gives feedback. It reports whether the answer was right.
func (z *lineQuiz) ask(ctx context.Context, i int, q *lessons.Question) (bool, error) {
	var shown []int
	z.printf("\nQuestion %d of %d\n%s\n", i+1, len(z.lesson.Questions), render.Text(q.Prompt, 0, nil))
	switch q.Type {
	case lessons.Single, lessons.Multi:
		for n, c := range q.Choices {
			z.printf("  %d. %s\n", n+1, markdownLine(c))
		}
	case lessons.Order:
		shown = lessons.ShuffledOrder(len(q.Items), q.ID+z.lesson.ID)
		for n, item := range shown {
			z.printf("  %d. %s\n", n+1, markdownLine(q.Items[item]))
		}
	}
	z.printf("%s\n", answerHint(q))
	var a lessons.Answer
	hints := 0
	for {
		z.printf("> ")
		line, err := z.readLine(ctx)
		if err != nil {
			return false, err
		}
		if z.echo {
			z.printf("%s\n", safeLine(line))
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "?":
			switch {
			case len(q.Hints) == 0:
				z.printf("This question has no hints.\n")
			case hints == len(q.Hints):
				z.printf("No more hints (%d of %d shown).\n", hints, len(q.Hints))
			default:
				hints++
				z.printf("Hint %d of %d: %s\n", hints, len(q.Hints), render.TerminalSafe(q.Hints[hints-1], false))
			}
			continue
		case "skip":
			z.printf("Skipped.\n")
			return false, errSkipped
		}
		a, err = lessons.ParseAnswer(q, line, shown)
		if err == nil {
			break
		}
		z.printf("Can't read that answer: %s. Try again.\n", err)
	}
	res := lessons.Grade(q, a)
	att := progress.Attempt{
		User: z.user, LessonID: z.lesson.ID, QuestionID: q.ID, QuestionHash: q.Hash,
		Answer: a.Encode(), Correct: res.Correct, HintsUsed: hints, At: time.Now(),
	}
	// Saved before the feedback: a learner who saw "Right." has it on record.
	if _, err := z.store.RecordAttempt(context.WithoutCancel(ctx), att); err != nil {
		return false, fmt.Errorf("saving your answer: %w", err)
	}
	if res.Correct {
		z.printf("Right.\n")
	} else {
		z.printf("Not quite. The answer: %s\n", safeLine(res.Expected))
	}
	z.printf("%s\n", render.Text(q.Explain, 0, nil))
	for _, ref := range q.Refs {
		z.printf("See %s\n", safeLine(ref))
	}
	return res.Correct, nil
}

// readLine waits for the next line of input, the end of it, or ctx.
func (z *lineQuiz) readLine(ctx context.Context) (string, error) {
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case in, ok := <-z.lines:
		if err := ctx.Err(); err != nil {
			// The reader stops when ctx is done, which also closes lines.
			return "", err
		}
		if !ok || errors.Is(in.err, io.EOF) {
			return "", errEndOfInput
		}
		if in.err != nil {
			return "", fmt.Errorf("reading answers: %w", in.err)
		}
		return in.text, nil
	}
}

// completeIfAllRight marks the lesson done when every question's latest
// answer, in this run or before, is right.
func (z *lineQuiz) completeIfAllRight(ctx context.Context) (bool, error) {
	latest, err := z.store.LatestAttempts(ctx, z.user, z.lesson.ID)
	if err != nil {
		return false, fmt.Errorf("reading your answers: %w", err)
	}
	right := map[string]bool{}
	for id, a := range latest {
		right[id] = a.Correct
	}
	if !lessons.Done(z.lesson, lessons.Standing{LatestRight: right}) {
		return false, nil
	}
	if err := z.store.CompleteLesson(ctx, z.user, z.lesson.ID); err != nil {
		return false, fmt.Errorf("saving progress: %w", err)
	}
	return true, nil
}

// answerHint says how to answer a question of this type.
func answerHint(q *lessons.Question) string {
	switch q.Type {
	case lessons.Single:
		return fmt.Sprintf("Type the number of your choice (1 to %d).", len(q.Choices))
	case lessons.Multi:
		return "Type the numbers of every right choice, separated by commas or spaces."
	case lessons.TrueFalse:
		return "True or false? Type t or f."
	case lessons.Short:
		return "Type your answer."
	case lessons.Numeric:
		if q.Unit != "" {
			return "Type a number (in " + safeLine(q.Unit) + ")."
		}
		return "Type a number."
	case lessons.Order:
		return "Put these in order: type the item numbers from first to last, separated by spaces."
	}
	return "Type your answer."
}

// shuffledOrder is the order a question's items are shown in: a fixed
// shuffle per question, never the right order, so a learner who comes back
// sees the same puzzle. It is the TUI's shuffle (seeded the same way), so
// the app and the line quiz show the same puzzle.

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
