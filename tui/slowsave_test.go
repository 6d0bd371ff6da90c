package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/progress"
	"serverside/render"
)

// stalledProgress is a learner's progress whose answers take until
// release is closed to save: a PostgreSQL server restarting under the
// tutor.
type stalledProgress struct {
	Progress
	release chan struct{}
}

func (s stalledProgress) Record(ctx context.Context, a progress.Attempt) (progress.Attempt, error) {
	<-s.release
	return s.Progress.Record(ctx, a)
}

// While an answer waits for a store that is not answering, the question
// says it is reconnecting, and shows no feedback; when the store answers,
// the feedback comes and the notice goes.
func TestSlowSaveSaysReconnecting(t *testing.T) {
	store := stalledProgress{Progress: testLearner(t, testStore(t), "tess"), release: make(chan struct{})}
	var m tea.Model = New(context.Background(), Options{StatusTTL: time.Millisecond, Course: StaticCourse(testCourse(t)), Progress: store, Labs: LocalLabs, Theme: render.Dark})
	m = run(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = run(t, m, openQuizMsg{lessonID: "every-type", from: 0})
	top := m.(Model).top().(quizScreen)
	next, cmd := top.Update(press("enter"))
	if next.(quizScreen).phase != saving {
		t.Fatalf("not saving after submit: %v", next.(quizScreen).phase)
	}
	first := cmd() // the store is stalled: the notice comes first
	notice, ok := first.(slowSaveMsg)
	if !ok {
		t.Fatalf("first message %T, want the slow-save notice", first)
	}
	next, wait := next.Update(first)
	v := ansi.Strip(next.View())
	if !strings.Contains(v, "reconnecting") || strings.Contains(v, "Right") {
		t.Fatalf("while stalled:\n%s", v)
	}
	close(store.release)
	if wait == nil {
		t.Fatal("the notice does not go on waiting for the answer")
	}
	saved := wait()
	if _, ok := saved.(attemptSavedMsg); !ok || notice.lessonID != "every-type" {
		t.Fatalf("then %T (notice for %q)", saved, notice.lessonID)
	}
	next, _ = next.Update(saved)
	v = ansi.Strip(next.View())
	if strings.Contains(v, "reconnecting") || !strings.Contains(v, "Right") {
		t.Fatalf("after the store answered:\n%s", v)
	}
}
