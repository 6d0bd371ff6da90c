// Package progresstest is the conformance suite of the progress contract:
// every progress.Backend (the embedded SQLite file, a class's PostgreSQL
// server) must pass Run, so the tutor, the commands and the classroom
// behave the same whichever store holds the learners' progress. It tests
// only through the contract, never through an adapter's SQL.
package progresstest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"serverside/fsrs"
	"serverside/progress"
)

// Open returns a new, empty backend that lives until the test ends.
type Open func(t *testing.T) progress.Backend

// Run runs every conformance test against backends made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, Open)
	}{
		{"LearnerNames", testLearnerNames},
		{"RecordAndLatest", testRecordAndLatest},
		{"Isolation", testIsolation},
		{"LessonStates", testLessonStates},
		{"Schedule", testSchedule},
		{"NewCardCap", testNewCardCap},
		{"Rate", testRate},
		{"ResetAndUndo", testResetAndUndo},
		{"FlagsAndReport", testFlagsAndReport},
		{"LabTasks", testLabTasks},
		{"ExportImport", testExportImport},
		{"ConcurrentLearners", testConcurrentLearners},
		{"LearnersDay", testLearnersDay},
		{"Keys", testKeys},
		{"KeysConcurrent", testKeysConcurrent},
		{"KeyNamesLookAlike", testKeyNamesLookAlike},
		{"KeyNamesLookAlikeConcurrent", testKeyNamesLookAlikeConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// day0 is a fixed local morning, so "today" never straddles midnight.
var day0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)

const day = 24 * time.Hour

func learner(t *testing.T, b progress.Backend, name string) progress.Learner {
	t.Helper()
	l, err := b.Learner(name)
	if err != nil {
		t.Fatalf("Learner(%q): %v", name, err)
	}
	return l
}

func answer(t *testing.T, l progress.Learner, lesson, q string, correct bool, hints int, at time.Time) progress.Attempt {
	t.Helper()
	a, err := l.Record(context.Background(), progress.Attempt{LessonID: lesson, QuestionID: q,
		QuestionHash: "h-" + q, Answer: fmt.Sprintf("%q", q), Correct: correct, HintsUsed: hints, At: at})
	if err != nil {
		t.Fatalf("record %s/%s for %s: %v", lesson, q, l.Name(), err)
	}
	return a
}

func dueIDs(t *testing.T, l progress.Learner, now time.Time, newCap int) []string {
	t.Helper()
	cards, err := l.Due(context.Background(), now, newCap)
	if err != nil {
		t.Fatal(err)
	}
	n, err := l.DueCount(context.Background(), now, newCap)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(cards) {
		t.Errorf("DueCount %d, Due has %d cards", n, len(cards))
	}
	var ids []string
	for _, c := range cards {
		ids = append(ids, c.LessonID+"/"+c.QuestionID)
	}
	slices.Sort(ids)
	return ids
}

func testLearnerNames(t *testing.T, open Open) {
	b := open(t)
	for _, bad := range []string{"", " ada", "ada\x1b[2J", string(make([]byte, 100))} {
		if _, err := b.Learner(bad); err == nil {
			t.Errorf("Learner(%q) accepted", bad)
		}
	}
	ada := learner(t, b, "ada")
	if ada.Name() != "ada" {
		t.Errorf("Name() = %q", ada.Name())
	}
	users, err := b.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 0 {
		t.Errorf("binding a name wrote a learner: %+v", users)
	}
	answer(t, learner(t, b, "grace"), "l", "q", true, 0, day0)
	answer(t, ada, "l", "q", true, 0, day0)
	if _, err := b.EnsureUser(context.Background(), "ada\x00"); err == nil {
		t.Error("EnsureUser accepted a name with a control character")
	}
	alan, err := b.EnsureUser(context.Background(), "alan")
	if err != nil || alan.Name != "alan" || alan.CreatedAt.IsZero() {
		t.Fatalf("EnsureUser: %+v %v", alan, err)
	}
	if again, err := b.EnsureUser(context.Background(), "alan"); err != nil || again.ID != alan.ID || !again.CreatedAt.Equal(alan.CreatedAt) {
		t.Errorf("EnsureUser twice: %+v then %+v (%v)", alan, again, err)
	}
	users, err = b.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.Name)
	}
	if !slices.Equal(names, []string{"ada", "alan", "grace"}) {
		t.Errorf("Users: %v, want ada, alan, grace (by name)", names)
	}
}

func testRecordAndLatest(t *testing.T, open Open) {
	ctx := context.Background()
	l := learner(t, open(t), "ada")
	at := day0.Add(1234567 * time.Nanosecond)
	first := answer(t, l, "l", "q1", false, 1, at)
	if first.ID == 0 || first.User != "ada" {
		t.Errorf("recorded attempt: %+v", first)
	}
	if !first.At.Equal(at.Truncate(time.Millisecond)) {
		t.Errorf("At kept to the millisecond: %v, want %v", first.At, at.Truncate(time.Millisecond))
	}
	second := answer(t, l, "l", "q1", true, 0, at.Add(time.Minute))
	answer(t, l, "l", "q2", true, 0, at)
	answer(t, l, "other", "q1", false, 0, at)
	latest, err := l.Latest(ctx, "l")
	if err != nil {
		t.Fatal(err)
	}
	if len(latest) != 2 || latest["q1"].ID != second.ID || !latest["q1"].Correct || latest["q2"].QuestionHash != "h-q2" {
		t.Errorf("latest: %+v", latest)
	}
	if _, err := l.Record(ctx, progress.Attempt{LessonID: "l"}); err == nil {
		t.Error("an attempt without a question id was stored")
	}
	if _, err := l.Record(ctx, progress.Attempt{LessonID: "l", QuestionID: "q", HintsUsed: -1}); err == nil {
		t.Error("negative hints were stored")
	}
}

// One learner's calls never see or change another's rows, even when both
// answer the same questions.
func testIsolation(t *testing.T, open Open) {
	ctx := context.Background()
	b := open(t)
	ada, grace := learner(t, b, "ada"), learner(t, b, "grace")
	answer(t, ada, "l", "q", true, 0, day0)
	answer(t, grace, "other", "mine", true, 0, day0)
	if err := ada.StartLesson(ctx, "l"); err != nil {
		t.Fatal(err)
	}
	if err := ada.CompleteLabTask(ctx, "l", "lab", "t1"); err != nil {
		t.Fatal(err)
	}
	latest, err := grace.Latest(ctx, "l")
	if err != nil || len(latest) != 0 {
		t.Errorf("grace sees ada's answers: %v %v", latest, err)
	}
	states, err := grace.LessonStates(ctx)
	if err != nil || len(states) != 0 {
		t.Errorf("grace sees ada's lessons: %v %v", states, err)
	}
	if ids := dueIDs(t, grace, day0.Add(30*day), -1); !slices.Equal(ids, []string{"other/mine"}) {
		t.Errorf("grace has ada's cards: %v", ids)
	}
	tasks, err := grace.LabTasks(ctx, "l", "lab")
	if err != nil || len(tasks) != 0 {
		t.Errorf("grace sees ada's lab tasks: %v %v", tasks, err)
	}
	st, err := grace.Stats(ctx, day0)
	if err != nil || st.Attempts != 1 || st.Started != 0 {
		t.Errorf("grace's stats include ada's work: %+v %v", st, err)
	}
	var buf bytes.Buffer
	if err := grace.Export(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte(`"q"`)) || !bytes.Contains(buf.Bytes(), []byte(`"mine"`)) {
		t.Errorf("grace's export holds ada's answer: %s", buf.String())
	}
	if err := grace.ResetAll(ctx); err != nil {
		t.Fatal(err)
	}
	if latest, _ := ada.Latest(ctx, "l"); len(latest) != 1 {
		t.Errorf("grace's reset cleared ada's answers: %v", latest)
	}
}

func testLessonStates(t *testing.T, open Open) {
	ctx := context.Background()
	l := learner(t, open(t), "ada")
	if _, _, ok, err := l.LastPosition(ctx); ok || err != nil {
		t.Errorf("a new learner has a last position (%v, %v)", ok, err)
	}
	must(t, l.StartLesson(ctx, "a"))
	must(t, l.SaveScroll(ctx, "a", 42))
	must(t, l.AddTime(ctx, "a", 30))
	must(t, l.AddTime(ctx, "a", 15))
	if err := l.AddTime(ctx, "a", -1); err == nil {
		t.Error("negative reading time accepted")
	}
	states, err := l.LessonStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := states["a"]
	if a.Status != progress.InProgress || a.Scroll != 42 || a.Seconds != 45 || a.StartedAt.IsZero() {
		t.Errorf("lesson a: %+v", a)
	}
	if id, scroll, ok, err := l.LastPosition(ctx); !ok || err != nil || id != "a" || scroll != 42 {
		t.Errorf("last position: %q %d %v %v", id, scroll, ok, err)
	}
	must(t, l.CompleteLesson(ctx, "a"))
	must(t, l.StartLesson(ctx, "a")) // opening a done lesson again keeps it done
	states, _ = l.LessonStates(ctx)
	if states["a"].Status != progress.Done || states["a"].CompletedAt.IsZero() {
		t.Errorf("after completing and reopening: %+v", states["a"])
	}
	if err := l.StartLesson(ctx, ""); err == nil {
		t.Error("a lesson without an id was started")
	}
}

// The scheduling rules of Store.RecordAttempt, seen through Due.
func testSchedule(t *testing.T, open Open) {
	l := learner(t, open(t), "ada")
	answer(t, l, "l", "q", true, 0, day0) // first answer, right: Good, due in 2 days
	if ids := dueIDs(t, l, day0, -1); len(ids) != 0 {
		t.Errorf("a card answered right today is due today: %v", ids)
	}
	if ids := dueIDs(t, l, day0.Add(2*day), -1); !slices.Equal(ids, []string{"l/q"}) {
		t.Errorf("due two days later: %v", ids)
	}
	answer(t, l, "l", "q", false, 0, day0.Add(time.Hour)) // same day: no change
	if ids := dueIDs(t, l, day0.Add(day), -1); len(ids) != 0 {
		t.Errorf("a second answer the same day moved the card: %v", ids)
	}
	answer(t, l, "l", "q", true, 0, day0.Add(day)) // early and right: no change
	if ids := dueIDs(t, l, day0.Add(day), -1); len(ids) != 0 {
		t.Errorf("an early right answer moved the card: %v", ids)
	}
	answer(t, l, "l", "w", false, 0, day0) // first answer wrong: Again, due tomorrow at the latest
	if ids := dueIDs(t, l, day0.Add(day), -1); !slices.Equal(ids, []string{"l/w"}) {
		t.Errorf("a wrong first answer is not due by tomorrow: %v", ids)
	}
	answer(t, l, "l", "q", false, 0, day0.Add(day+time.Hour)) // early and wrong: a lapse
	if ids := dueIDs(t, l, day0.Add(2*day), -1); !slices.Contains(ids, "l/q") {
		t.Errorf("a lapse did not bring the card back: %v", ids)
	}
	if _, _, ok, err := l.CardDue(context.Background(), "l", "never"); ok || err != nil {
		t.Errorf("an unanswered question has a card: %v %v", ok, err)
	}
	due, rating, ok, err := l.CardDue(context.Background(), "l", "w")
	if err != nil || !ok || rating != fsrs.Again || due.After(day0.Add(day)) {
		t.Errorf("card of a wrong first answer: due %v, rating %v, %v %v", due, rating, ok, err)
	}
	forecast, err := l.Forecast(context.Background(), day0, 7)
	if err != nil || len(forecast) != 7 {
		t.Fatalf("forecast: %v %v", forecast, err)
	}
	total := 0
	for _, n := range forecast {
		total += n
	}
	if total != 2 {
		t.Errorf("forecast over 7 days counts %d cards, want 2: %v", total, forecast)
	}
}

func testNewCardCap(t *testing.T, open Open) {
	l := learner(t, open(t), "ada")
	for i := range 5 {
		answer(t, l, "l", fmt.Sprintf("q%d", i), true, 0, day0)
	}
	later := day0.Add(3 * day)
	if ids := dueIDs(t, l, later, -1); len(ids) != 5 {
		t.Errorf("uncapped: %v", ids)
	}
	if ids := dueIDs(t, l, later, 2); len(ids) != 2 {
		t.Errorf("capped at 2: %v", ids)
	}
	// Reviewing one counts against today's cap.
	cards, _ := l.Due(context.Background(), later, 2)
	answer(t, l, cards[0].LessonID, cards[0].QuestionID, true, 0, later)
	if ids := dueIDs(t, l, later, 2); len(ids) != 1 {
		t.Errorf("after one first review, the cap leaves room for 1: %v", ids)
	}
}

func testRate(t *testing.T, open Open) {
	ctx := context.Background()
	b := open(t)
	l := learner(t, b, "ada")
	if err := l.Rate(ctx, "l", "never", fsrs.Easy, day0); !errors.Is(err, progress.ErrNoCard) {
		t.Errorf("rating an unanswered question: %v, want ErrNoCard", err)
	}
	if err := l.Rate(ctx, "l", "q", fsrs.Rating(9), day0); err == nil {
		t.Error("rating 9 accepted")
	}
	good, easy := learner(t, b, "good"), learner(t, b, "easy")
	answer(t, good, "l", "q", true, 0, day0)
	answer(t, easy, "l", "q", true, 0, day0)
	must(t, easy.Rate(ctx, "l", "q", fsrs.Easy, day0))
	dueOf := func(l progress.Learner) time.Time {
		cards, err := l.Due(ctx, day0.Add(365*day), -1)
		if err != nil || len(cards) != 1 {
			t.Fatalf("cards of %s: %v %v", l.Name(), cards, err)
		}
		return cards[0].Due
	}
	once := dueOf(easy)
	if !once.After(dueOf(good)) {
		t.Errorf("easy is not due later than good: %v vs %v", once, dueOf(good))
	}
	must(t, easy.Rate(ctx, "l", "q", fsrs.Easy, day0))
	if again := dueOf(easy); !again.Equal(once) {
		t.Errorf("rating easy twice compounded: %v then %v", once, again)
	}
}

func testResetAndUndo(t *testing.T, open Open) {
	ctx := context.Background()
	l := learner(t, open(t), "ada")
	answer(t, l, "a", "q", true, 0, day0)
	answer(t, l, "b", "q", true, 0, day0)
	must(t, l.CompleteLesson(ctx, "a"))
	must(t, l.ResetLesson(ctx, "a"))
	if latest, _ := l.Latest(ctx, "a"); len(latest) != 0 {
		t.Errorf("reset lesson still has answers: %v", latest)
	}
	if latest, _ := l.Latest(ctx, "b"); len(latest) != 1 {
		t.Errorf("resetting a cleared b: %v", latest)
	}
	if states, _ := l.LessonStates(ctx); states["a"].Status != progress.NotStarted {
		t.Errorf("reset lesson's state: %+v", states["a"])
	}
	if ids := dueIDs(t, l, day0.Add(30*day), -1); !slices.Equal(ids, []string{"b/q"}) {
		t.Errorf("cards after reset: %v", ids)
	}
	must(t, l.UndoReset(ctx))
	if latest, _ := l.Latest(ctx, "a"); len(latest) != 1 {
		t.Errorf("undo did not bring the answers back: %v", latest)
	}
	if states, _ := l.LessonStates(ctx); states["a"].Status != progress.Done {
		t.Errorf("undo did not bring the state back: %+v", states["a"])
	}
	if err := l.UndoReset(ctx); !errors.Is(err, progress.ErrNothingToUndo) {
		t.Errorf("second undo: %v, want ErrNothingToUndo", err)
	}
	must(t, l.ResetAll(ctx))
	if st, _ := l.Stats(ctx, day0); st.Attempts != 0 {
		t.Errorf("stats after reset all: %+v", st)
	}
}

func testFlagsAndReport(t *testing.T, open Open) {
	ctx := context.Background()
	b := open(t)
	ada, grace := learner(t, b, "ada"), learner(t, b, "grace")
	answer(t, ada, "l", "q1", true, 0, day0)
	answer(t, ada, "l", "q2", false, 0, day0)
	answer(t, grace, "l", "q1", false, 0, day0)
	must(t, ada.CompleteLabTask(ctx, "l", "lab", "t1"))
	must(t, ada.Flag(ctx, "l", "q2", "  the answer looks wrong  "))
	if err := ada.Flag(ctx, "", "q2", ""); err == nil {
		t.Error("a flag without a lesson was stored")
	}
	flags, err := b.Flags(ctx)
	if err != nil || len(flags) != 1 || flags[0].User != "ada" || flags[0].Comment != "the answer looks wrong" {
		t.Fatalf("flags: %+v %v", flags, err)
	}
	rep, err := b.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Users) != 2 || rep.Users[0].User != "ada" || rep.Users[1].User != "grace" {
		t.Fatalf("report users: %+v", rep.Users)
	}
	if l := rep.Users[0].Lessons["l"]; l.Attempts != 2 || l.Questions != 2 || l.Right != 1 {
		t.Errorf("ada's row: %+v", l)
	}
	if l := rep.Users[1].Lessons["l"]; l.Attempts != 1 || l.Right != 0 {
		t.Errorf("grace's row: %+v", l)
	}
	if rep.Users[0].LabTasks["l"] != 1 || rep.Users[1].LabTasks["l"] != 0 {
		t.Errorf("lab tasks in the report: %v %v", rep.Users[0].LabTasks, rep.Users[1].LabTasks)
	}
	if len(rep.Flags) != 1 {
		t.Errorf("report flags: %+v", rep.Flags)
	}
}

func testLabTasks(t *testing.T, open Open) {
	ctx := context.Background()
	l := learner(t, open(t), "ada")
	must(t, l.CompleteLabTask(ctx, "l", "lab", "t1"))
	first, err := l.LabTasks(ctx, "l", "lab")
	if err != nil || len(first) != 1 || first["t1"].IsZero() {
		t.Fatalf("lab tasks: %v %v", first, err)
	}
	time.Sleep(5 * time.Millisecond)
	must(t, l.CompleteLabTask(ctx, "l", "lab", "t1"))
	again, _ := l.LabTasks(ctx, "l", "lab")
	if !again["t1"].Equal(first["t1"]) {
		t.Errorf("doing a task again moved its time: %v then %v", first["t1"], again["t1"])
	}
	if other, _ := l.LabTasks(ctx, "l", "other-lab"); len(other) != 0 {
		t.Errorf("another lab's tasks: %v", other)
	}
	if err := l.CompleteLabTask(ctx, "l", "", "t1"); err == nil {
		t.Error("a task without a lab was stored")
	}

	// A build lab's last check: replaced by the next, bounded, per lab.
	if _, ok, err := l.LabBuild(ctx, "l", "build"); ok || err != nil {
		t.Errorf("a check before any was run: %v %v", ok, err)
	}
	check := progress.LabBuild{Addr: "127.0.0.1:8080", Stages: []progress.LabStage{{ID: "s1", Ran: true, Passed: true}, {ID: "s2", Ran: true}},
		Failure: strings.Repeat("x", 20<<10), CheckedAt: day0}
	must(t, l.SaveLabBuild(ctx, "l", "build", check))
	got, ok, err := l.LabBuild(ctx, "l", "build")
	if err != nil || !ok || got.Addr != check.Addr || got.Passed || len(got.Stages) != 2 || !got.Stages[0].Passed || got.Stages[1].Passed ||
		!got.CheckedAt.Equal(day0) || len(got.Failure) > 17<<10 || !strings.Contains(got.Failure, "cut") {
		t.Errorf("stored check: %+v %v %v", got, ok, err)
	}
	must(t, l.SaveLabBuild(ctx, "l", "build", progress.LabBuild{Addr: "127.0.0.1:9090", Passed: true}))
	if got, _, _ := l.LabBuild(ctx, "l", "build"); got.Addr != "127.0.0.1:9090" || !got.Passed || got.Stages == nil || got.CheckedAt.IsZero() {
		t.Errorf("a second check did not replace the first: %+v", got)
	}
	if err := l.SaveLabBuild(ctx, "", "build", check); err == nil {
		t.Error("a check without a lesson was stored")
	}
}

// An export imported into an empty backend brings back the same progress,
// and importing it again adds nothing.
func testExportImport(t *testing.T, open Open) {
	ctx := context.Background()
	src := learner(t, open(t), "ada")
	answer(t, src, "l", "q1", true, 0, day0)
	answer(t, src, "l", "q2", false, 2, day0.Add(time.Minute))
	must(t, src.SaveScroll(ctx, "l", 7))
	must(t, src.CompleteLabTask(ctx, "l", "lab", "t1"))
	must(t, src.Flag(ctx, "l", "q2", "unclear"))
	var buf bytes.Buffer
	must(t, src.Export(ctx, &buf))
	file := buf.Bytes()

	dst := open(t)
	res, err := dst.Import(ctx, bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if res.User != "ada" || res.Attempts != 2 || res.LabTasks != 1 || res.Flags != 1 {
		t.Errorf("first import: %+v", res)
	}
	again, err := dst.Import(ctx, bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if again.Attempts != 0 || again.LabTasks != 0 || again.Flags != 0 {
		t.Errorf("second import added: %+v", again)
	}
	l := learner(t, dst, "ada")
	wantLatest, _ := src.Latest(ctx, "l")
	gotLatest, err := l.Latest(ctx, "l")
	if err != nil || len(gotLatest) != len(wantLatest) {
		t.Fatalf("imported answers: %v %v", gotLatest, err)
	}
	for q, w := range wantLatest {
		g := gotLatest[q]
		if g.Correct != w.Correct || g.HintsUsed != w.HintsUsed || !g.At.Equal(w.At) || g.Answer != w.Answer || g.QuestionHash != w.QuestionHash {
			t.Errorf("%s: imported %+v, exported %+v", q, g, w)
		}
	}
	states, _ := l.LessonStates(ctx)
	if states["l"].Scroll != 7 {
		t.Errorf("imported lesson state: %+v", states["l"])
	}
	if want, got := dueIDs(t, src, day0.Add(30*day), -1), dueIDs(t, l, day0.Add(30*day), -1); !slices.Equal(want, got) {
		t.Errorf("imported cards due: %v, exported %v", got, want)
	}
	if _, err := dst.Import(ctx, bytes.NewReader([]byte(`{"format":"something-else"}`))); err == nil {
		t.Error("a file of another format was imported")
	}
}

// Learners answering at once each find every answer they were told was
// saved, and only their own.
func testConcurrentLearners(t *testing.T, open Open) {
	ctx := context.Background()
	b := open(t)
	const learners, answers = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, learners)
	for i := range learners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := b.Learner(fmt.Sprintf("learner-%d", i))
			if err != nil {
				errs <- err
				return
			}
			for j := range answers {
				if _, err := l.Record(ctx, progress.Attempt{LessonID: "l", QuestionID: fmt.Sprintf("q%d", j),
					Answer: `"x"`, Correct: j%2 == 0, At: day0.Add(time.Duration(j) * time.Second)}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i := range learners {
		l := learner(t, b, fmt.Sprintf("learner-%d", i))
		latest, err := l.Latest(ctx, "l")
		if err != nil || len(latest) != answers {
			t.Errorf("%s has %d answers, want %d (%v)", l.Name(), len(latest), answers, err)
		}
		st, err := l.Stats(ctx, day0)
		if err != nil || st.Attempts != answers || st.Correct != (answers+1)/2 {
			t.Errorf("%s stats: %+v %v", l.Name(), st, err)
		}
	}
}

// testLearnersDay: "today" (the streak, practised today) is the learner's
// day, in the zone of the times the learner's calls pass, not the zone of
// the machine the store runs on: a classroom's server may sit anywhere.
func testLearnersDay(t *testing.T, open Open) {
	west := time.FixedZone("UTC-11", -11*3600)
	// Monday 22:00 in the west is Tuesday 09:00 in UTC.
	monday := time.Date(2026, 3, 2, 22, 0, 0, 0, west)
	later := monday.Add(2 * time.Hour) // Tuesday 00:00 west, Tuesday 11:00 UTC
	b := open(t)
	// A learner in the west answered on their Monday: two hours later it
	// is their Tuesday, so the streak stands at one day and wants an
	// answer today.
	w := learner(t, b, "ada")
	answer(t, w, "l", "q", true, 0, monday)
	st, err := w.Stats(context.Background(), later)
	must(t, err)
	if st.StreakDays != 1 || st.PracticedToday {
		t.Errorf("in the west: streak %d, practised today %v; want 1, false", st.StreakDays, st.PracticedToday)
	}
	// The same instants for a learner on UTC are both Tuesday.
	u := learner(t, b, "bo")
	answer(t, u, "l", "q", true, 0, monday.UTC())
	st, err = u.Stats(context.Background(), later.UTC())
	must(t, err)
	if st.StreakDays != 1 || !st.PracticedToday {
		t.Errorf("on UTC: streak %d, practised today %v; want 1, true", st.StreakDays, st.PracticedToday)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
