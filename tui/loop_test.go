package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"serverside/lessons"
	"serverside/progress"
	"serverside/render"
)

// newTestModel is a TUI on the test course at a size, with its states loaded.
func newTestModel(t *testing.T, store *progress.Store, w, h int) tea.Model {
	t.Helper()
	var m tea.Model = New(Options{StatusTTL: time.Millisecond, Course: testCourse(t), Store: store, User: "tess", Theme: render.Dark})
	return run(t, m, tea.WindowSizeMsg{Width: w, Height: h})
}

// answerRight records a right answer to every question of the lesson but
// the ones named in except, as another screen or command would have.
func answerRight(t *testing.T, store *progress.Store, l *lessons.Lesson, except ...string) {
	t.Helper()
	skip := map[string]bool{}
	for _, id := range except {
		skip[id] = true
	}
	for _, q := range l.Questions {
		if skip[q.ID] {
			continue
		}
		if _, err := store.RecordAttempt(context.Background(), progress.Attempt{User: "tess", LessonID: l.ID, QuestionID: q.ID,
			QuestionHash: q.Hash, Answer: "{}", Correct: true, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
}

func status(t *testing.T, store *progress.Store, id string) progress.LessonStatus {
	t.Helper()
	st, err := store.LessonStates(context.Background(), "tess")
	if err != nil {
		t.Fatal(err)
	}
	return st[id].Status
}

// Defect 1: the last answer given, then esc instead of enter: done.
func TestDoneWhenLastAnswerThenEsc(t *testing.T) {
	store := testStore(t)
	m := newTestModel(t, store, 80, 24)
	l := m.(Model).sh.course.Lesson("every-type")
	answerRight(t, store, l, "code")
	m = run(t, m, openQuizMsg{lessonID: "every-type", from: 3}) // the short answer
	m = typeText(t, m, "304")
	m = run(t, m, press("enter"))
	if !strings.Contains(view(m), "Right.") {
		t.Fatalf("not right:\n%s", view(m))
	}
	m = run(t, m, press("esc"))
	if got := status(t, store, "every-type"); got != progress.Done {
		t.Fatalf("every latest answer right, left with esc: status %v, want done", got)
	}
	if !strings.Contains(view(m), "●") {
		t.Errorf("map does not show ●:\n%s", view(m))
	}
}

// Defect 1: answers given in review finish the lesson too.
func TestDoneThroughReview(t *testing.T) {
	store := testStore(t)
	m := newTestModel(t, store, 80, 24)
	l := m.(Model).sh.course.Lesson("every-type")
	answerRight(t, store, l, "yes-no")
	m = run(t, m, reviewMsg{cards: []progress.Card{{LessonID: "every-type", QuestionID: "yes-no"}}})
	m = run(t, m, press("t"))
	m = run(t, m, press("enter"))
	if got := status(t, store, "every-type"); got != progress.Done {
		t.Fatalf("the last question answered right in review: status %v, want done", got)
	}
}

// Defect 1: a one-screen lesson without questions, opened and left
// without a key, is done.
func TestOneScreenLessonDoneWhenShown(t *testing.T) {
	store := testStore(t)
	m := newTestModel(t, store, 80, 24)
	m = run(t, m, openLessonMsg{id: "other", scroll: -1})
	m = run(t, m, press("esc"))
	if got := status(t, store, "other"); got != progress.Done {
		t.Fatalf("one-screen lesson shown and left: status %v, want done", got)
	}
}
