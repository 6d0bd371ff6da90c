package cli

import (
	"context"
	"fmt"
	"time"

	"serverside/fsrs"
	"serverside/progress"
	"serverside/tui"
)

// openingStore is the progress database while it opens beside the tutor's
// first frame. Opening it (SQLite's schema check, the learner's row, or a
// server's handshake) took 10–15 ms of a ~60 ms start on the way to a
// frame that needs none of it: the map is drawn from the course, and the
// learner's progress arrives after, as it always did. The tutor's reads
// and writes run in commands, off the screen's loop, so a call made before
// the store is open simply waits for it there.
type openingStore struct {
	name  string
	ready chan struct{} // closed when the fields below are set
	store store
	l     progress.Learner
	err   error
}

func newOpeningStore(name string) *openingStore {
	return &openingStore{name: name, ready: make(chan struct{})}
}

// open opens the store, once, and says it is ready.
func (o *openingStore) open(ctx context.Context, g *globals) {
	defer close(o.ready)
	s, err := g.OpenStore(ctx)
	if err != nil {
		o.err = err
		return
	}
	o.store = s
	if _, err := s.EnsureUser(ctx, o.name); err != nil {
		o.err = fmt.Errorf("progress database %s: %w", s.Path(), err)
		return
	}
	o.l, o.err = s.Learner(o.name)
}

// wait is the opened store, or why it did not open; it gives up when ctx
// ends first.
func (o *openingStore) wait(ctx context.Context) (progress.Learner, error) {
	select {
	case <-o.ready:
		return o.l, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// result is the outcome once the opening has finished.
func (o *openingStore) result() (store, error) {
	<-o.ready
	return o.store, o.err
}

// learner is the tutor's Progress for the learner the store opens for.
func (o *openingStore) learner() tui.Progress { return pendingLearner{o} }

// pendingLearner is a tui.Progress whose every call first waits for the
// store to open. Name needs no store: it is known before.
type pendingLearner struct{ o *openingStore }

var _ tui.Progress = pendingLearner{}

func (p pendingLearner) Name() string { return p.o.name }

func (p pendingLearner) Record(ctx context.Context, a progress.Attempt) (progress.Attempt, error) {
	l, err := p.o.wait(ctx)
	if err != nil {
		return progress.Attempt{}, err
	}
	return l.Record(ctx, a)
}

func (p pendingLearner) Latest(ctx context.Context, lessonID string) (map[string]progress.Attempt, error) {
	l, err := p.o.wait(ctx)
	if err != nil {
		return nil, err
	}
	return l.Latest(ctx, lessonID)
}

func (p pendingLearner) LessonStates(ctx context.Context) (map[string]progress.LessonState, error) {
	l, err := p.o.wait(ctx)
	if err != nil {
		return nil, err
	}
	return l.LessonStates(ctx)
}

func (p pendingLearner) StartLesson(ctx context.Context, lessonID string) error {
	l, err := p.o.wait(ctx)
	if err != nil {
		return err
	}
	return l.StartLesson(ctx, lessonID)
}

func (p pendingLearner) SaveScroll(ctx context.Context, lessonID string, scroll int) error {
	l, err := p.o.wait(ctx)
	if err != nil {
		return err
	}
	return l.SaveScroll(ctx, lessonID, scroll)
}

func (p pendingLearner) AddTime(ctx context.Context, lessonID string, seconds int) error {
	l, err := p.o.wait(ctx)
	if err != nil {
		return err
	}
	return l.AddTime(ctx, lessonID, seconds)
}

func (p pendingLearner) CompleteLesson(ctx context.Context, lessonID string) error {
	l, err := p.o.wait(ctx)
	if err != nil {
		return err
	}
	return l.CompleteLesson(ctx, lessonID)
}

func (p pendingLearner) LastPosition(ctx context.Context) (string, int, bool, error) {
	l, err := p.o.wait(ctx)
	if err != nil {
		return "", 0, false, err
	}
	return l.LastPosition(ctx)
}

func (p pendingLearner) Due(ctx context.Context, now time.Time, newCap int) ([]progress.Card, error) {
	l, err := p.o.wait(ctx)
	if err != nil {
		return nil, err
	}
	return l.Due(ctx, now, newCap)
}

func (p pendingLearner) Rate(ctx context.Context, lessonID, questionID string, rating fsrs.Rating, now time.Time) error {
	l, err := p.o.wait(ctx)
	if err != nil {
		return err
	}
	return l.Rate(ctx, lessonID, questionID, rating, now)
}

func (p pendingLearner) CardDue(ctx context.Context, lessonID, questionID string) (time.Time, fsrs.Rating, bool, error) {
	l, err := p.o.wait(ctx)
	if err != nil {
		return time.Time{}, 0, false, err
	}
	return l.CardDue(ctx, lessonID, questionID)
}

func (p pendingLearner) Forecast(ctx context.Context, now time.Time, days int) ([]int, error) {
	l, err := p.o.wait(ctx)
	if err != nil {
		return nil, err
	}
	return l.Forecast(ctx, now, days)
}

func (p pendingLearner) Stats(ctx context.Context, now time.Time) (progress.Stats, error) {
	l, err := p.o.wait(ctx)
	if err != nil {
		return progress.Stats{}, err
	}
	return l.Stats(ctx, now)
}

func (p pendingLearner) Flag(ctx context.Context, lessonID, questionID, comment string) error {
	l, err := p.o.wait(ctx)
	if err != nil {
		return err
	}
	return l.Flag(ctx, lessonID, questionID, comment)
}

func (p pendingLearner) ResetLesson(ctx context.Context, lessonID string) error {
	l, err := p.o.wait(ctx)
	if err != nil {
		return err
	}
	return l.ResetLesson(ctx, lessonID)
}

func (p pendingLearner) ResetAll(ctx context.Context) error {
	l, err := p.o.wait(ctx)
	if err != nil {
		return err
	}
	return l.ResetAll(ctx)
}

func (p pendingLearner) CompleteLabTask(ctx context.Context, lessonID, labID, taskID string) error {
	l, err := p.o.wait(ctx)
	if err != nil {
		return err
	}
	return l.CompleteLabTask(ctx, lessonID, labID, taskID)
}

func (p pendingLearner) LabTasks(ctx context.Context, lessonID, labID string) (map[string]time.Time, error) {
	l, err := p.o.wait(ctx)
	if err != nil {
		return nil, err
	}
	return l.LabTasks(ctx, lessonID, labID)
}

func (p pendingLearner) SaveLabBuild(ctx context.Context, lessonID, labID string, b progress.LabBuild) error {
	l, err := p.o.wait(ctx)
	if err != nil {
		return err
	}
	return l.SaveLabBuild(ctx, lessonID, labID, b)
}

func (p pendingLearner) LabBuild(ctx context.Context, lessonID, labID string) (progress.LabBuild, bool, error) {
	l, err := p.o.wait(ctx)
	if err != nil {
		return progress.LabBuild{}, false, err
	}
	return l.LabBuild(ctx, lessonID, labID)
}
