package cli

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"serverside/lessons"
	"serverside/progress"
	"serverside/progress/sqlite"
)

// quizEnv is a test course and an empty progress database.
type quizEnv struct {
	dir, db string
	course  *lessons.Course
}

func newQuizEnv(t *testing.T, files map[string]string) quizEnv {
	t.Helper()
	dir := writeCourse(t, files)
	c, _, err := lessons.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return quizEnv{dir: dir, db: filepath.Join(t.TempDir(), "progress.db"), course: c}
}

func (e quizEnv) quiz(t *testing.T, lessonID, input string) (string, error) {
	t.Helper()
	out, _, err := runRoot(t, input, "quiz", lessonID, "--plain", "--lessons", e.dir, "--db", e.db, "--user", "ada")
	return out, err
}

func (e quizEnv) open(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// rightOrder is the line that puts an order question's shown items back in
// the right order.
func rightOrder(q *lessons.Question, lessonID string) string {
	shown := lessons.ShuffledOrder(len(q.Items), q.ID+lessonID)
	var nums []string
	for want := range q.Items {
		nums = append(nums, strconv.Itoa(slices.Index(shown, want)+1))
	}
	return strings.Join(nums, " ")
}

func TestQuizPlainRecordsEveryAnswer(t *testing.T) {
	env := newQuizEnv(t, testCourse)
	l := env.course.Lesson("every-type")
	order := rightOrder(l.Questions[5], l.ID)
	input := strings.Join([]string{
		"9",       // not a choice: asked again
		"1",       // single: GET
		"1,2",     // multi: PUT, DELETE
		"maybe",   // not t/f: asked again
		"t",       // truefalse
		"",        // empty short answer: asked again
		"304",     // short
		"one",     // not a number: asked again
		"1 rtt",   // numeric with its unit
		"1 1 2 3", // an item twice: asked again
		order,     // order
	}, "\n") + "\n"
	out, err := env.quiz(t, l.ID, input)
	if err != nil {
		t.Fatalf("quiz: %v\n%s", err, out)
	}
	assertNoControls(t, "quiz", out)
	for _, want := range []string{
		"Question 1 of 6\nWhich method is safe?\n  1. GET\n  2. POST\n  3. DELETE\n",
		"> 9\nCan't read that answer: \"9\" is not a number from 1 to 3. Try again.\n> 1\nRight.\nGET is read-only by contract.\nSee https://www.rfc-editor.org/rfc/rfc9110#section-9.2.1\n",
		"Can't read that answer: answer t (true) or f (false). Try again.",
		"Can't read that answer: type an answer. Try again.",
		"Type a number (in RTT).",
		"Can't read that answer: item 1 appears twice",
		"6 of 6 right.\n",
		"The latest answer to each question is right: Every question type is done.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "Right.") != 6 {
		t.Errorf("want 6 right answers:\n%s", out)
	}

	store := env.open(t)
	latest, err := store.LatestAttempts(t.Context(), "ada", l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(latest) != 6 {
		t.Fatalf("want an attempt per question (invalid input is not an attempt), got %d", len(latest))
	}
	for _, q := range l.Questions {
		a, ok := latest[q.ID]
		if !ok {
			t.Fatalf("no attempt at %s", q.ID)
		}
		if !a.Correct || a.QuestionHash != q.Hash || a.HintsUsed != 0 || a.User != "ada" || a.At.IsZero() || a.Review {
			t.Errorf("%s: attempt %+v", q.ID, a)
		}
		ans, err := lessons.DecodeAnswer(a.Answer)
		if err != nil {
			t.Fatalf("%s: stored answer %q: %v", q.ID, a.Answer, err)
		}
		if !lessons.Grade(q, ans).Correct {
			t.Errorf("%s: stored answer %q does not grade right", q.ID, a.Answer)
		}
	}
	states, err := store.LessonStates(t.Context(), "ada")
	if err != nil {
		t.Fatal(err)
	}
	if states[l.ID].Status != progress.Done {
		t.Errorf("lesson status %v, want done", states[l.ID].Status)
	}
}

func TestQuizPlainWrongAnswer(t *testing.T) {
	env := newQuizEnv(t, testCourse)
	out, err := env.quiz(t, "linking", "f\n")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "> f\nNot quite. The answer: True\nIt is.\n") || !strings.Contains(out, "0 of 1 right.") {
		t.Errorf("feedback:\n%s", out)
	}
	if strings.Contains(out, "is done") {
		t.Errorf("a wrong answer must not complete the lesson:\n%s", out)
	}
	store := env.open(t)
	latest, err := store.LatestAttempts(t.Context(), "ada", "linking")
	if err != nil {
		t.Fatal(err)
	}
	if a := latest["one"]; a.Correct || a.Answer != `{"bool":false}` {
		t.Errorf("attempt %+v", a)
	}
	states, _ := store.LessonStates(t.Context(), "ada")
	if states["linking"].Status != progress.InProgress {
		t.Errorf("a quiz taken starts the lesson: status %v", states["linking"].Status)
	}
	store.Close()

	// Answering right later completes it.
	out, err = env.quiz(t, "linking", "true\n")
	if err != nil || !strings.Contains(out, "is done") {
		t.Fatalf("second run: %v\n%s", err, out)
	}
}

func TestQuizPlainEndOfInput(t *testing.T) {
	env := newQuizEnv(t, testCourse)
	// One answer without a final newline, then the input ends mid-quiz.
	out, err := env.quiz(t, "every-type", "1")
	if err != nil {
		t.Fatalf("EOF mid-quiz must exit 0: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Right.") || !strings.Contains(out, "1 of 6 right (5 not answered") {
		t.Errorf("summary:\n%s", out)
	}
	store := env.open(t)
	latest, _ := store.LatestAttempts(t.Context(), "ada", "every-type")
	if len(latest) != 1 {
		t.Errorf("want 1 attempt, got %d", len(latest))
	}

	// No input at all.
	out, err = env.quiz(t, "every-type", "")
	if err != nil || !strings.Contains(out, "0 of 6 right (6 not answered") {
		t.Fatalf("empty input: %v\n%s", err, out)
	}
}

func TestQuizPlainNoQuestionsAndUnknown(t *testing.T) {
	env := newQuizEnv(t, testCourse)
	out, err := env.quiz(t, "no-questions", "")
	if err != nil || !strings.Contains(out, "has no questions") || !strings.Contains(out, "serverside read no-questions") {
		t.Fatalf("no questions: %v\n%s", err, out)
	}
	_, err = env.quiz(t, "nope", "")
	if err == nil || !strings.Contains(err.Error(), "serverside list") {
		t.Fatalf("unknown lesson: %v", err)
	}
}

func TestQuizPlainHostileLesson(t *testing.T) {
	env := newQuizEnv(t, hostileCourse)
	out, err := env.quiz(t, "evil", "2\n")
	if err != nil {
		t.Fatal(err)
	}
	assertNoControls(t, "quiz evil", out)
	if !strings.Contains(out, "Not quite. The answer: A") {
		t.Errorf("feedback:\n%s", out)
	}
}

// orderStore is a quizStore that notes how much output had been written
// when each answer was saved.
type orderStore struct {
	out     *strings.Builder
	savedAt []int
	fail    error
}

func (s *orderStore) StartLesson(context.Context, string, string) error { return nil }
func (s *orderStore) RecordAttempt(_ context.Context, a progress.Attempt) (progress.Attempt, error) {
	s.savedAt = append(s.savedAt, s.out.Len())
	return a, s.fail
}
func (s *orderStore) LatestAttempts(context.Context, string, string) (map[string]progress.Attempt, error) {
	return nil, nil
}
func (s *orderStore) CompleteLesson(context.Context, string, string) error { return nil }

func TestQuizSavesBeforeFeedback(t *testing.T) {
	env := newQuizEnv(t, testCourse)
	var out strings.Builder
	store := &orderStore{out: &out}
	z := &lineQuiz{store: store, user: "ada", lesson: env.course.Lesson("linking"),
		lines: readLines(t.Context(), strings.NewReader("t\n")), out: &out, echo: true}
	if err := z.run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(store.savedAt) != 1 {
		t.Fatalf("saved %d times", len(store.savedAt))
	}
	if before := out.String()[:store.savedAt[0]]; strings.Contains(before, "Right.") {
		t.Fatalf("feedback printed before the answer was saved:\n%s", before)
	}

	// When saving fails there is no feedback, and the error says so.
	out.Reset()
	store = &orderStore{out: &out, fail: errors.New("disk full")}
	z = &lineQuiz{store: store, user: "ada", lesson: env.course.Lesson("linking"),
		lines: readLines(t.Context(), strings.NewReader("t\n")), out: &out}
	err := z.run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "saving your answer: disk full") || strings.Contains(out.String(), "Right.") {
		t.Fatalf("err = %v\n%s", err, out.String())
	}
}

func TestQuizInterrupted(t *testing.T) {
	env := newQuizEnv(t, testCourse)
	ctx, cancel := context.WithCancel(t.Context())
	r, w := io.Pipe()
	defer w.Close()
	var out strings.Builder
	z := &lineQuiz{store: &orderStore{out: &out}, user: "ada", lesson: env.course.Lesson("every-type"),
		lines: readLines(ctx, r), out: &out}
	done := make(chan error, 1)
	go func() { done <- z.run(ctx) }()
	if _, err := io.WriteString(w, "1\n"); err != nil {
		t.Fatal(err)
	}
	cancel()
	err := <-done
	var ec *exitCodeError
	if !errors.As(err, &ec) || ec.code != 130 || !ec.quiet {
		t.Fatalf("interrupt: err = %v", err)
	}
	if !strings.Contains(out.String(), " of 6 right") {
		t.Errorf("an interrupted quiz still sums up:\n%s", out.String())
	}
}

func TestShuffledOrder(t *testing.T) {
	for n := 2; n <= 8; n++ {
		a := lessons.ShuffledOrder(n, "q"+strconv.Itoa(n))
		b := lessons.ShuffledOrder(n, "q"+strconv.Itoa(n))
		if !slices.Equal(a, b) {
			t.Fatalf("n=%d: not deterministic: %v %v", n, a, b)
		}
		sorted := slices.Sorted(slices.Values(a))
		for i, v := range sorted {
			if v != i {
				t.Fatalf("n=%d: not a permutation: %v", n, a)
			}
		}
		if slices.IsSorted(a) {
			t.Fatalf("n=%d: shown in the right order: %v", n, a)
		}
	}
	if got := lessons.ShuffledOrder(1, "x"); !slices.Equal(got, []int{0}) {
		t.Fatalf("one item: %v", got)
	}
}

// In the line quiz, ? shows the next hint (and the attempt records how many
// were used) and skip moves on without recording anything.
func TestQuizPlainHintsAndSkip(t *testing.T) {
	env := newQuizEnv(t, map[string]string{
		"m/l.md": "---\nid: hinted\ntitle: Hinted\n---\n\nText.\n\n" +
			"```quiz\nid: first\ntype: single\nprompt: Which method is safe?\nchoices: [GET, POST]\nanswer: GET\nexplain: GET reads.\n" +
			"hints:\n  - Think of reading.\n  - It has three letters.\n```\n\n" +
			"```quiz\nid: second\ntype: truefalse\nprompt: PUT is idempotent.\nanswer: true\nexplain: Same state.\n```\n\n" +
			"```quiz\nid: third\ntype: truefalse\nprompt: POST is safe.\nanswer: false\nexplain: It changes state.\n```\n",
	})
	out, err := env.quiz(t, "hinted", "?\n?\n?\n1\n?\nskip\nf\n")
	if err != nil {
		t.Fatalf("quiz: %v\n%s", err, out)
	}
	for _, want := range []string{
		"(? for a hint, skip to skip)",
		"> ?\nHint 1 of 2: Think of reading.\n> ?\nHint 2 of 2: It has three letters.\n> ?\nNo more hints (2 of 2 shown).\n> 1\nRight.",
		"> ?\nThis question has no hints.\n> skip\nSkipped.\n",
		"2 of 3 right (1 not answered, 1 skipped; run the quiz again to finish).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	latest, err := env.open(t).LatestAttempts(t.Context(), "ada", "hinted")
	if err != nil {
		t.Fatal(err)
	}
	if len(latest) != 2 || latest["first"].HintsUsed != 2 || latest["third"].HintsUsed != 0 {
		t.Errorf("attempts: %+v", latest)
	}
	if _, ok := latest["second"]; ok {
		t.Error("a skipped question records no attempt")
	}
}
