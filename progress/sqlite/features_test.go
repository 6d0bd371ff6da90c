package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"serverside/progress"
	"slices"
	"strings"
	"testing"
	"time"

	"serverside/fsrs"
)

// clock is a controllable "now" for a store under test.
type clock struct{ t time.Time }

func (c *clock) now() time.Time                { return c.t }
func (c *clock) add(d time.Duration) time.Time { c.t = c.t.Add(d); return c.t }

func openClocked(t *testing.T) (*Store, *clock) {
	t.Helper()
	s := openTemp(t)
	c := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)}
	s.now = c.now
	return s, c
}

func record(t *testing.T, s *Store, user, lesson, q string, correct bool, hints int, at time.Time) progress.Attempt {
	t.Helper()
	a, err := s.RecordAttempt(context.Background(), progress.Attempt{User: user, LessonID: lesson, QuestionID: q,
		Answer: `"x"`, Correct: correct, HintsUsed: hints, At: at})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func card(t *testing.T, s *Store, user, lesson, q string) (cardRow, bool) {
	t.Helper()
	var r cardRow
	var found bool
	err := s.write(context.Background(), func(tx *sql.Tx) error {
		id, ok, err := txUserID(context.Background(), tx, user)
		if err != nil || !ok {
			return err
		}
		r, found, err = s.loadCard(context.Background(), tx, id, lesson, q)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return r, found
}

func TestScheduleRules(t *testing.T) {
	s, c := openClocked(t)
	day0 := c.t
	const day = 24 * time.Hour

	// First answer, right without hints: Good, new card due in round(S0(Good)) = 2 days.
	record(t, s, "ada", "l", "q", true, 0, day0)
	r, ok := card(t, s, "ada", "l", "q")
	if !ok || r.lastRating != fsrs.Good || r.card.Reps != 1 || !r.card.Due.Equal(day0.Add(2*day)) {
		t.Fatalf("after first right answer: %+v, found %v", r, ok)
	}
	// A wrong answer the same day changes nothing: one schedule change per day.
	record(t, s, "ada", "l", "q", false, 0, day0.Add(time.Hour))
	if r2, _ := card(t, s, "ada", "l", "q"); !reflect.DeepEqual(r2, r) {
		t.Errorf("same-day answer changed the card:\n%+v\n%+v", r2, r)
	}
	// Next day, not due yet, right: nothing (early right answers do not inflate).
	record(t, s, "ada", "l", "q", true, 0, day0.Add(day))
	if r2, _ := card(t, s, "ada", "l", "q"); !reflect.DeepEqual(r2, r) {
		t.Errorf("early right answer changed the card:\n%+v\n%+v", r2, r)
	}
	// Due day: right with a hint reviews it as Hard.
	record(t, s, "ada", "l", "q", true, 1, day0.Add(2*day))
	r, _ = card(t, s, "ada", "l", "q")
	if r.lastRating != fsrs.Hard || r.card.Reps != 2 || !r.card.LastReview.Equal(day0.Add(2*day)) {
		t.Errorf("due review with a hint: %+v", r)
	}
	// Next day, not due, wrong: a lapse, Again.
	record(t, s, "ada", "l", "q", false, 0, day0.Add(3*day))
	r, _ = card(t, s, "ada", "l", "q")
	if r.lastRating != fsrs.Again || r.card.Lapses != 1 || !r.card.Due.Equal(day0.Add(4*day)) {
		t.Errorf("early wrong answer: %+v, want Again due the next day", r)
	}
	// Other users are untouched.
	if _, ok := card(t, s, "grace", "l", "q"); ok {
		t.Error("grace has ada's card")
	}
	checkQuestionStats(t, s)
}

func TestDueCapAndCount(t *testing.T) {
	ctx := context.Background()
	s, c := openClocked(t)
	day0 := c.t
	const day = 24 * time.Hour
	// Five questions answered wrong on day 0: due on day 1, never reviewed since (new).
	for _, q := range []string{"a", "b", "c", "d", "e"} {
		record(t, s, "ada", "l1", q, false, 0, day0)
	}
	// One answered right on day 0 and reviewed on day 2 (due on day 2): a review card.
	record(t, s, "ada", "l2", "r", true, 0, day0)
	record(t, s, "ada", "l2", "r", true, 0, day0.Add(2*day))
	record(t, s, "grace", "l1", "a", false, 0, day0)

	if got, err := s.Due(ctx, "ada", day0, -1); err != nil || len(got) != 0 {
		t.Fatalf("due on day 0 = %+v, %v; want none", got, err)
	}
	day1 := day0.Add(day)
	got, err := s.Due(ctx, "ada", day1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("due on day 1 with cap 3 = %d cards, want 3", len(got))
	}
	for _, c := range got {
		if c.LessonID != "l1" || c.Reps != 1 {
			t.Errorf("unexpected due card %+v", c)
		}
	}
	// Review two of them on day 1: they count against the day's cap.
	record(t, s, "ada", "l1", got[0].QuestionID, true, 0, day1)
	record(t, s, "ada", "l1", got[1].QuestionID, true, 0, day1)
	if n, err := s.DueCount(ctx, "ada", day1, 3); err != nil || n != 1 {
		t.Errorf("DueCount after introducing 2 of cap 3 = %d, %v; want 1", n, err)
	}
	if n, _ := s.DueCount(ctx, "ada", day1, -1); n != 3 {
		t.Errorf("uncapped DueCount = %d, want 3", n)
	}
	if n, _ := s.DueCount(ctx, "ada", day1, 0); n != 0 {
		t.Errorf("DueCount with cap 0 = %d, want 0", n)
	}
	// Later, reviews come first.
	later := day0.Add(30 * day)
	all, err := s.Due(ctx, "ada", later, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if c.Reps < 2 {
			t.Errorf("cap 0 still returned new card %+v", c)
		}
	}
	if len(all) != 3 { // l2/r and the two reviewed on day 1
		t.Errorf("reviews due at day 30 = %d, want 3", len(all))
	}
	if n, _ := s.DueCount(ctx, "nobody", later, -1); n != 0 {
		t.Errorf("unknown user's DueCount = %d", n)
	}
}

func TestRate(t *testing.T) {
	ctx := context.Background()
	s, c := openClocked(t)
	at := c.t
	record(t, s, "ada", "l", "q", true, 0, at)
	if err := s.Rate(ctx, "ada", "l", "q", fsrs.Easy, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	r, _ := card(t, s, "ada", "l", "q")
	want, _ := storeScheduler().Review(fsrs.Card{}, fsrs.Easy, at)
	if r.lastRating != fsrs.Easy || r.card.Reps != 1 || !r.card.Due.Equal(want.Due) || r.card.Stability != want.Stability {
		t.Errorf("after Rate(Easy): %+v, want %+v", r.card, want)
	}
	// Rating again does not compound.
	if err := s.Rate(ctx, "ada", "l", "q", fsrs.Easy, at.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if r2, _ := card(t, s, "ada", "l", "q"); !reflect.DeepEqual(r2, r) {
		t.Errorf("second Rate(Easy) changed the card: %+v", r2)
	}
	// Another day: today's answer did not change the schedule, so Rate does nothing.
	next := at.Add(24 * time.Hour)
	record(t, s, "ada", "l", "q", true, 0, next)
	if err := s.Rate(ctx, "ada", "l", "q", fsrs.Hard, next); err != nil {
		t.Fatal(err)
	}
	if r2, _ := card(t, s, "ada", "l", "q"); r2.lastRating != fsrs.Easy {
		t.Errorf("Rate on a day without a review changed the card: %+v", r2)
	}
	if err := s.Rate(ctx, "ada", "l", "nope", fsrs.Easy, at); !errors.Is(err, progress.ErrNoCard) {
		t.Errorf("Rate on an unanswered question: %v, want ErrNoCard", err)
	}
	if err := s.Rate(ctx, "ada", "l", "q", fsrs.Rating(9), at); err == nil {
		t.Error("Rate with rating 9 succeeded")
	}
}

func TestForecast(t *testing.T) {
	ctx := context.Background()
	s, c := openClocked(t)
	day0 := c.t
	record(t, s, "ada", "l", "wrong", false, 0, day0) // due day 1
	record(t, s, "ada", "l", "right", true, 0, day0)  // due day 2
	record(t, s, "ada", "l", "easy", true, 0, day0)   // due day 8 after Rate(Easy)
	if err := s.Rate(ctx, "ada", "l", "easy", fsrs.Easy, day0); err != nil {
		t.Fatal(err)
	}
	got, err := s.Forecast(ctx, "ada", day0, 5)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 1, 0, 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("Forecast(5) = %v, want %v", got, want)
	}
	// Three days later everything but the easy one is overdue and lands on day 0.
	got, _ = s.Forecast(ctx, "ada", day0.Add(72*time.Hour), 6)
	if want := []int{2, 0, 0, 0, 0, 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("Forecast from day 3 = %v, want %v", got, want)
	}
	if got, _ := s.Forecast(ctx, "ada", day0, 0); len(got) != 0 {
		t.Errorf("Forecast(0) = %v", got)
	}
}

func TestFlagsAndLastPosition(t *testing.T) {
	ctx := context.Background()
	s, c := openClocked(t)
	if err := s.Flag(ctx, "ada", "l", "q1", "  choice B is also right  "); err != nil {
		t.Fatal(err)
	}
	c.add(time.Minute)
	if err := s.Flag(ctx, "grace", "l", "q1", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Flag(ctx, "ada", "", "q1", "x"); err == nil {
		t.Error("flag without a lesson succeeded")
	}
	if err := s.Flag(ctx, "ada", "l", "q1", strings.Repeat("x", 2001)); err == nil {
		t.Error("flag with a 2001-character comment succeeded")
	}
	flags, err := s.Flags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(flags) != 2 || flags[0].User != "ada" || flags[0].Comment != "choice B is also right" || flags[1].User != "grace" {
		t.Errorf("Flags = %+v", flags)
	}

	if _, _, ok, err := s.LastPosition(ctx, "ada"); ok || err != nil {
		t.Errorf("LastPosition before reading: ok=%v err=%v", ok, err)
	}
	_ = s.StartLesson(ctx, "ada", "one")
	c.add(time.Minute)
	_ = s.StartLesson(ctx, "ada", "two")
	c.add(time.Minute)
	_ = s.SaveScroll(ctx, "ada", "one", 17)
	_ = s.StartLesson(ctx, "grace", "three")
	id, scroll, ok, err := s.LastPosition(ctx, "ada")
	if err != nil || !ok || id != "one" || scroll != 17 {
		t.Errorf("LastPosition = %q %d %v %v, want one 17", id, scroll, ok, err)
	}
}

func TestStats(t *testing.T) {
	ctx := context.Background()
	s, c := openClocked(t)
	day0 := c.t
	const day = 24 * time.Hour
	// Practice on days 0, 1, 2 (and one lonely day before a gap).
	record(t, s, "ada", "l1", "old", true, 0, day0.Add(-5*day))
	record(t, s, "ada", "l1", "q1", false, 0, day0)
	record(t, s, "ada", "l1", "q1", true, 0, day0.Add(day))
	record(t, s, "ada", "l1", "q2", true, 0, day0.Add(2*day))
	record(t, s, "ada", "l2", "q1", false, 0, day0.Add(2*day))
	record(t, s, "grace", "l1", "q1", true, 0, day0.Add(2*day))
	_ = s.StartLesson(ctx, "ada", "l1")
	_ = s.AddTime(ctx, "ada", "l1", 120)
	_ = s.CompleteLesson(ctx, "ada", "l1")
	_ = s.StartLesson(ctx, "ada", "l3")

	st, err := s.Stats(ctx, "ada", day0.Add(2*day+time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	l1 := st.Lessons["l1"]
	if l1.Status != progress.Done || l1.Attempts != 4 || l1.Correct != 3 || l1.Questions != 3 || l1.Right != 3 || l1.Seconds != 120 {
		t.Errorf("l1 stats = %+v", l1)
	}
	if l2 := st.Lessons["l2"]; l2.Status != progress.NotStarted || l2.Attempts != 1 || l2.Right != 0 || l2.Accuracy() != 0 {
		t.Errorf("l2 stats = %+v", l2)
	}
	if st.Lessons["l3"].Status != progress.InProgress {
		t.Errorf("l3 stats = %+v", st.Lessons["l3"])
	}
	if st.Attempts != 5 || st.Correct != 3 || st.Started != 2 || st.Completed != 1 || st.Seconds != 120 || st.Accuracy() != 0.6 {
		t.Errorf("totals = %+v", st)
	}
	if st.StreakDays != 3 || !st.PracticedToday {
		t.Errorf("streak on day 2 = %d (today %v), want 3 (true)", st.StreakDays, st.PracticedToday)
	}
	if st, _ := s.Stats(ctx, "ada", day0.Add(3*day)); st.StreakDays != 3 || st.PracticedToday {
		t.Errorf("streak on day 3 = %d (today %v), want 3 (false): yesterday still counts", st.StreakDays, st.PracticedToday)
	}
	if st, _ := s.Stats(ctx, "ada", day0.Add(4*day)); st.StreakDays != 0 {
		t.Errorf("streak on day 4 = %d, want 0", st.StreakDays)
	}
	if len(st.Forecast) != 7 || st.DueNow != st.Forecast[0] {
		t.Errorf("forecast = %v, due now %d", st.Forecast, st.DueNow)
	}
	// l2/q1 wrong on day 2 is due day 3; l1/q1 (Again day 0, right day 1 as a due review).
	if later, _ := s.Stats(ctx, "ada", day0.Add(3*day)); later.DueNow == 0 {
		t.Errorf("nothing due on day 3: %+v", later.Forecast)
	}
	empty, err := s.Stats(ctx, "nobody", day0)
	if err != nil || empty.Attempts != 0 || len(empty.Lessons) != 0 {
		t.Errorf("unknown user's stats = %+v, %v", empty, err)
	}
	checkQuestionStats(t, s)
}

func TestResetAndUndo(t *testing.T) {
	ctx := context.Background()
	s, c := openClocked(t)
	day0 := c.t
	record(t, s, "ada", "l1", "q1", true, 0, day0)
	record(t, s, "ada", "l2", "q1", false, 0, day0)
	record(t, s, "grace", "l1", "q1", true, 0, day0)
	_ = s.SaveScroll(ctx, "ada", "l1", 5)
	_ = s.CompleteLesson(ctx, "ada", "l1")
	_ = s.SaveScroll(ctx, "ada", "l2", 9)

	snapshot := func(user string) (map[string]progress.LessonState, []progress.Card, int) {
		t.Helper()
		states, err := s.LessonStates(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		cards, err := s.Due(ctx, user, day0.Add(365*24*time.Hour), -1)
		if err != nil {
			t.Fatal(err)
		}
		st, err := s.Stats(ctx, user, day0)
		if err != nil {
			t.Fatal(err)
		}
		return states, cards, st.Attempts
	}
	beforeStates, beforeCards, beforeN := snapshot("ada")
	graceStates, graceCards, graceN := snapshot("grace")

	if err := s.ResetLesson(ctx, "ada", "l1"); err != nil {
		t.Fatal(err)
	}
	states, cards, n := snapshot("ada")
	if _, ok := states["l1"]; ok || len(states) != 1 || len(cards) != 1 || n != 1 {
		t.Errorf("after ResetLesson(l1): states %v, %d cards, %d attempts", states, len(cards), n)
	}
	if latest, _ := s.LatestAttempts(ctx, "ada", "l1"); len(latest) != 0 {
		t.Errorf("reset lesson still has latest attempts %v", latest)
	}
	if err := s.ResetAll(ctx, "ada"); err != nil {
		t.Fatal(err)
	}
	if states, cards, n := snapshot("ada"); len(states) != 0 || len(cards) != 0 || n != 0 {
		t.Errorf("after ResetAll: states %v, %d cards, %d attempts", states, len(cards), n)
	}
	// Resetting nothing records no reset, so undo still reaches the real ones.
	if err := s.ResetLesson(ctx, "ada", "l1"); err != nil {
		t.Fatal(err)
	}
	if err := s.UndoReset(ctx, "ada"); err != nil {
		t.Fatal(err)
	}
	states, cards, n = snapshot("ada")
	if _, ok := states["l1"]; ok || len(states) != 1 || len(cards) != 1 || n != 1 {
		t.Errorf("after undoing ResetAll: states %v, %d cards, %d attempts", states, len(cards), n)
	}
	if err := s.UndoReset(ctx, "ada"); err != nil {
		t.Fatal(err)
	}
	states, cards, n = snapshot("ada")
	if !reflect.DeepEqual(states, beforeStates) || !reflect.DeepEqual(cards, beforeCards) || n != beforeN {
		t.Errorf("after undoing both resets:\nstates %v\nwant   %v\ncards %v\nwant  %v\nattempts %d want %d",
			states, beforeStates, cards, beforeCards, n, beforeN)
	}
	if err := s.UndoReset(ctx, "ada"); !errors.Is(err, progress.ErrNothingToUndo) {
		t.Errorf("third undo: %v, want ErrNothingToUndo", err)
	}
	if err := s.UndoReset(ctx, "nobody"); !errors.Is(err, progress.ErrNothingToUndo) {
		t.Errorf("undo for unknown user: %v, want ErrNothingToUndo", err)
	}
	if err := s.ResetLesson(ctx, "ada", ""); err == nil {
		t.Error("ResetLesson with an empty lesson ID succeeded")
	}
	gs, gc, gn := snapshot("grace")
	if !reflect.DeepEqual(gs, graceStates) || !reflect.DeepEqual(gc, graceCards) || gn != graceN {
		t.Error("ada's resets changed grace's progress")
	}
	checkQuestionStats(t, s)
}

func TestExportImport(t *testing.T) {
	ctx := context.Background()
	s, c := openClocked(t)
	day0 := c.t
	record(t, s, "ada", "l1", "q1", true, 0, day0)
	record(t, s, "ada", "l1", "q2", false, 2, day0.Add(time.Minute))
	record(t, s, "ada", "l2", "q1", true, 0, day0.Add(2*time.Minute))
	record(t, s, "grace", "l1", "q1", true, 0, day0)
	_ = s.SaveScroll(ctx, "ada", "l1", 12)
	_ = s.AddTime(ctx, "ada", "l1", 60)
	_ = s.CompleteLesson(ctx, "ada", "l1")
	_ = s.Flag(ctx, "ada", "l1", "q2", "typo")
	_ = s.CompleteLabTask(ctx, "ada", "l1", "lab", "get-304")

	var buf bytes.Buffer
	if err := s.Export(ctx, "ada", &buf); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil || raw["format"] != progress.ExportFormat || raw["version"] != float64(progress.ExportVersion) {
		t.Fatalf("export header: %v %v", raw["format"], err)
	}
	file := buf.Bytes()

	// Into a fresh database: everything arrives, and reads back the same.
	dst, err := Open(ctx, filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	res, err := dst.Import(ctx, bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if want := (progress.ImportResult{User: "ada", Attempts: 3, LessonStates: 1, Cards: 3, Flags: 1, LabTasks: 1}); res != want {
		t.Errorf("first import = %+v, want %+v", res, want)
	}
	res, err = dst.Import(ctx, bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if want := (progress.ImportResult{User: "ada"}); res != want {
		t.Errorf("second import = %+v, want nothing added", res)
	}
	for _, lesson := range []string{"l1", "l2"} {
		a, _ := s.LatestAttempts(ctx, "ada", lesson)
		b, _ := dst.LatestAttempts(ctx, "ada", lesson)
		for q := range a {
			x, y := a[q], b[q]
			x.ID, y.ID = 0, 0
			if !reflect.DeepEqual(x, y) {
				t.Errorf("%s/%s after import: %+v, want %+v", lesson, q, y, x)
			}
		}
	}
	sa, _ := s.LessonStates(ctx, "ada")
	sb, _ := dst.LessonStates(ctx, "ada")
	if !reflect.DeepEqual(sa, sb) {
		t.Errorf("lesson states after import:\n%v\nwant\n%v", sb, sa)
	}
	la, _ := s.LabTasks(ctx, "ada", "l1", "lab")
	lb, _ := dst.LabTasks(ctx, "ada", "l1", "lab")
	if len(lb) != 1 || !la["get-304"].Equal(lb["get-304"]) {
		t.Errorf("lab tasks after import: %v, want %v", lb, la)
	}
	far := day0.Add(1000 * 24 * time.Hour)
	ca, _ := s.Due(ctx, "ada", far, -1)
	cb, _ := dst.Due(ctx, "ada", far, -1)
	if !reflect.DeepEqual(ca, cb) {
		t.Errorf("cards after import:\n%v\nwant\n%v", cb, ca)
	}
	// Back into the source: nothing is new.
	res, err = s.Import(ctx, bytes.NewReader(file))
	if err != nil || res != (progress.ImportResult{User: "ada"}) {
		t.Errorf("import into the source = %+v, %v; want nothing added", res, err)
	}
	if err := s.Export(ctx, "nobody", &buf); err == nil {
		t.Error("export of an unknown user succeeded")
	}
	checkQuestionStats(t, s)
	checkQuestionStats(t, dst)
}

func TestImportRejectsBadFiles(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	for name, body := range map[string]string{
		"not json":      `hello`,
		"wrong format":  `{"format":"anki","version":1,"user":{"name":"ada"}}`,
		"newer version": `{"format":"serverside-progress","version":99,"user":{"name":"ada"}}`,
		"no user":       `{"format":"serverside-progress","version":1,"user":{"name":""}}`,
		"bad attempt":   `{"format":"serverside-progress","version":1,"user":{"name":"ada"},"attempts":[{"lesson_id":"l"}]}`,
		"bad status":    `{"format":"serverside-progress","version":1,"user":{"name":"ada"},"lesson_states":[{"lesson_id":"l","status":"meh"}]}`,
		"bad card":      `{"format":"serverside-progress","version":1,"user":{"name":"ada"},"cards":[{"lesson_id":"l","question_id":"q","state":7}]}`,
		"unknown field": `{"format":"serverside-progress","version":1,"user":{"name":"ada"},"extra":1}`,
	} {
		if _, err := s.Import(ctx, strings.NewReader(body)); err == nil {
			t.Errorf("%s: import succeeded", name)
		}
	}
	if users, _ := s.Users(ctx); len(users) != 0 {
		t.Errorf("failed imports created users %v", users)
	}
}

func TestReport(t *testing.T) {
	ctx := context.Background()
	s, c := openClocked(t)
	day0 := c.t
	record(t, s, "ada", "l1", "q1", false, 0, day0)
	record(t, s, "ada", "l1", "q1", true, 0, day0.Add(time.Minute))
	record(t, s, "ada", "l1", "q2", false, 0, day0)
	record(t, s, "grace", "l2", "q1", true, 0, day0)
	_ = s.CompleteLesson(ctx, "ada", "l1")
	_ = s.StartLesson(ctx, "bob", "l1")
	_ = s.Flag(ctx, "grace", "l2", "q1", "unclear")
	_ = s.CompleteLabTask(ctx, "grace", "l2", "lab", "a")
	_ = s.CompleteLabTask(ctx, "grace", "l2", "lab", "b")
	rep, err := s.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Users) != 3 || rep.Users[0].User != "ada" || rep.Users[1].User != "bob" || rep.Users[2].User != "grace" {
		t.Fatalf("report users = %+v", rep.Users)
	}
	if l := rep.Users[0].Lessons["l1"]; l.Status != progress.Done || l.Attempts != 3 || l.Correct != 1 || l.Questions != 2 || l.Right != 1 {
		t.Errorf("ada l1 = %+v", l)
	}
	if l := rep.Users[1].Lessons["l1"]; l.Status != progress.InProgress || l.Attempts != 0 {
		t.Errorf("bob l1 = %+v", l)
	}
	if l := rep.Users[2].Lessons["l2"]; l.Status != progress.NotStarted || l.Right != 1 {
		t.Errorf("grace l2 = %+v", l)
	}
	if len(rep.Flags) != 1 || rep.Flags[0].Comment != "unclear" {
		t.Errorf("report flags = %+v", rep.Flags)
	}
	if rep.Users[2].LabTasks["l2"] != 2 || len(rep.Users[0].LabTasks) != 0 {
		t.Errorf("lab tasks in the report: grace %v, ada %v", rep.Users[2].LabTasks, rep.Users[0].LabTasks)
	}
	checkQuestionStats(t, s)
}

// checkQuestionStats asserts the question_stats summary equals a recount
// from the attempts table.
func checkQuestionStats(t *testing.T, s *Store) {
	t.Helper()
	const recount = `SELECT user_id, lesson_id, question_id, count(*), sum(correct), max(at), correct
		FROM attempts WHERE reset_id IS NULL GROUP BY user_id, lesson_id, question_id`
	const summary = `SELECT user_id, lesson_id, question_id, attempts, correct, latest_at, latest_correct FROM question_stats`
	for _, q := range []string{recount + " EXCEPT " + summary, summary + " EXCEPT " + recount} {
		var n int
		if err := s.db.QueryRowContext(context.Background(), "SELECT count(*) FROM ("+q+")").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("question_stats disagrees with attempts on %d rows", n)
		}
	}
}

// A cram session (Review answers before anything is due) leaves right
// answers' schedules alone and brings a forgotten card back tomorrow.
func TestCramDoesNotWreckSchedule(t *testing.T) {
	ctx := context.Background()
	s, c := openClocked(t)
	day0 := c.t
	record(t, s, "ada", "l", "known", true, 0, day0)
	record(t, s, "ada", "l", "forgot", true, 0, day0)
	known, _ := card(t, s, "ada", "l", "known")
	cramDay := day0.Add(24 * time.Hour) // nothing due yet: both are due on day 2
	for i := range 5 {
		for _, q := range []struct {
			id      string
			correct bool
		}{{"known", true}, {"forgot", false}} {
			a, err := s.RecordAttempt(ctx, progress.Attempt{User: "ada", LessonID: "l", QuestionID: q.id, Answer: `"c"`,
				Correct: q.correct, Review: true, At: cramDay.Add(time.Duration(i) * time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
			if !a.Review {
				t.Fatal("Review flag lost")
			}
		}
	}
	if got, _ := card(t, s, "ada", "l", "known"); !reflect.DeepEqual(got, known) {
		t.Errorf("cramming right answers changed the card:\n%+v\nwas\n%+v", got, known)
	}
	forgot, _ := card(t, s, "ada", "l", "forgot")
	if forgot.lastRating != fsrs.Again || forgot.card.Reps != 2 || !forgot.card.Due.Equal(cramDay.Add(24*time.Hour)) {
		t.Errorf("crammed wrong answer: %+v, want one Again review due the next day", forgot)
	}
	latest, _ := s.LatestAttempts(ctx, "ada", "l")
	if !latest["known"].Review || latest["known"].At.Before(cramDay) {
		t.Errorf("latest known answer = %+v, want the cram one", latest["known"])
	}
	checkQuestionStats(t, s)
}

// The export layout is a file format other machines read: keys may be
// added in a new version, never renamed. This pins version 2 (version 1
// plus lab_tasks).
func TestExportFormatV2(t *testing.T) {
	ctx := context.Background()
	s, c := openClocked(t)
	record(t, s, "ada", "l", "q", true, 0, c.t)
	_ = s.CompleteLesson(ctx, "ada", "l")
	_ = s.Flag(ctx, "ada", "l", "q", "hm")
	_ = s.CompleteLabTask(ctx, "ada", "l", "lab", "task")
	var buf bytes.Buffer
	if err := s.Export(ctx, "ada", &buf); err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(buf.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	keys := func(v any) string {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%v is not an object", v)
		}
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return strings.Join(ks, ",")
	}
	first := func(k string) any {
		list, ok := f[k].([]any)
		if !ok || len(list) != 1 {
			t.Fatalf("%s = %v, want one item", k, f[k])
		}
		return list[0]
	}
	for _, tc := range []struct{ what, got, want string }{
		{"file", keys(f), "attempts,cards,exported_at,flags,format,lab_tasks,lesson_states,user,version"},
		{"user", keys(f["user"]), "created_at,name"},
		{"attempt", keys(first("attempts")), "answer,at,correct,hints_used,lesson_id,question_hash,question_id,review"},
		{"lesson state", keys(first("lesson_states")), "completed_at,lesson_id,scroll,seconds,seen_at,started_at,status"},
		{"card", keys(first("cards")), "created_at,difficulty,due,lapses,last_day,last_rating,last_review,lesson_id,prev,question_id,reps,stability,state,step"},
		{"flag", keys(first("flags")), "at,comment,lesson_id,question_id"},
		{"lab task", keys(first("lab_tasks")), "done_at,lab_id,lesson_id,task_id"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s keys = %s, want %s", tc.what, tc.got, tc.want)
		}
	}
}
