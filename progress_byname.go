package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"serverside/fsrs"
	"serverside/progress"
)

// namedStore serves the screens and commands that still name the learner
// on every call (the CLI's store) from any progress.Backend,
// through one bound Learner per name: so the tutor and the commands run on
// a PostgreSQL server exactly as on the SQLite file, which already has
// these methods itself.
type namedStore struct {
	progress.Backend
	where string // the database, fit to print

	mu       sync.Mutex
	learners map[string]progress.Learner
}

// store is what the commands and the tutor need of the progress database:
// the SQLite file (*progress.Store) or a server through namedStore.
type store interface {
	// Learner binds the store to one learner, for the tutor and for what
	// records one learner's work (a build lab's check).
	Learner(name string) (progress.Learner, error)
	RecordAttempt(ctx context.Context, a progress.Attempt) (progress.Attempt, error)
	LatestAttempts(ctx context.Context, user, lessonID string) (map[string]progress.Attempt, error)
	LessonStates(ctx context.Context, user string) (map[string]progress.LessonState, error)
	StartLesson(ctx context.Context, user, lessonID string) error
	SaveScroll(ctx context.Context, user, lessonID string, scroll int) error
	CompleteLesson(ctx context.Context, user, lessonID string) error
	AddTime(ctx context.Context, user, lessonID string, seconds int) error
	Due(ctx context.Context, user string, now time.Time, newCap int) ([]progress.Card, error)
	DueCount(ctx context.Context, user string, now time.Time, newCap int) (int, error)
	LastPosition(ctx context.Context, user string) (lessonID string, scroll int, ok bool, err error)
	Rate(ctx context.Context, user, lessonID, questionID string, rating fsrs.Rating, now time.Time) error
	CardDue(ctx context.Context, user, lessonID, questionID string) (due time.Time, rating fsrs.Rating, ok bool, err error)
	Flag(ctx context.Context, user, lessonID, questionID, comment string) error
	Stats(ctx context.Context, user string, now time.Time) (progress.Stats, error)
	Forecast(ctx context.Context, user string, now time.Time, days int) ([]int, error)
	Users(ctx context.Context) ([]progress.User, error)
	EnsureUser(ctx context.Context, name string) (progress.User, error)
	ResetLesson(ctx context.Context, user, lessonID string) error
	ResetAll(ctx context.Context, user string) error
	CompleteLabTask(ctx context.Context, user, lessonID, labID, taskID string) error
	LabTasks(ctx context.Context, user, lessonID, labID string) (map[string]time.Time, error)
	Path() string
	Close() error
	Export(ctx context.Context, user string, w io.Writer) error
	Import(ctx context.Context, r io.Reader) (progress.ImportResult, error)
	Report(ctx context.Context) (progress.Report, error)
	UndoReset(ctx context.Context, user string) error
	SaveLabBuild(ctx context.Context, user, lessonID, labID string, b progress.LabBuild) error
	LabBuild(ctx context.Context, user, lessonID, labID string) (progress.LabBuild, bool, error)
}

var (
	_ store = (*progress.Store)(nil)
	_ store = (*namedStore)(nil)
)

func newNamedStore(b progress.Backend, where string) *namedStore {
	return &namedStore{Backend: b, where: where, learners: map[string]progress.Learner{}}
}

func (n *namedStore) Path() string { return n.where }

func (n *namedStore) learner(name string) (progress.Learner, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if l, ok := n.learners[name]; ok {
		return l, nil
	}
	l, err := n.Backend.Learner(name)
	if err != nil {
		return nil, err
	}
	n.learners[name] = l
	return l, nil
}

func (n *namedStore) RecordAttempt(ctx context.Context, a progress.Attempt) (progress.Attempt, error) {
	l, err := n.learner(a.User)
	if err != nil {
		return a, fmt.Errorf("record attempt: %w", err)
	}
	return l.Record(ctx, a)
}

func (n *namedStore) LatestAttempts(ctx context.Context, user, lessonID string) (map[string]progress.Attempt, error) {
	l, err := n.learner(user)
	if err != nil {
		return nil, err
	}
	return l.Latest(ctx, lessonID)
}

func (n *namedStore) LessonStates(ctx context.Context, user string) (map[string]progress.LessonState, error) {
	l, err := n.learner(user)
	if err != nil {
		return nil, err
	}
	return l.LessonStates(ctx)
}

func (n *namedStore) StartLesson(ctx context.Context, user, lessonID string) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.StartLesson(ctx, lessonID)
}

func (n *namedStore) SaveScroll(ctx context.Context, user, lessonID string, scroll int) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.SaveScroll(ctx, lessonID, scroll)
}

func (n *namedStore) CompleteLesson(ctx context.Context, user, lessonID string) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.CompleteLesson(ctx, lessonID)
}

func (n *namedStore) AddTime(ctx context.Context, user, lessonID string, seconds int) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.AddTime(ctx, lessonID, seconds)
}

func (n *namedStore) Due(ctx context.Context, user string, now time.Time, newCap int) ([]progress.Card, error) {
	l, err := n.learner(user)
	if err != nil {
		return nil, err
	}
	return l.Due(ctx, now, newCap)
}

func (n *namedStore) DueCount(ctx context.Context, user string, now time.Time, newCap int) (int, error) {
	l, err := n.learner(user)
	if err != nil {
		return 0, err
	}
	return l.DueCount(ctx, now, newCap)
}

func (n *namedStore) LastPosition(ctx context.Context, user string) (string, int, bool, error) {
	l, err := n.learner(user)
	if err != nil {
		return "", 0, false, err
	}
	return l.LastPosition(ctx)
}

func (n *namedStore) Rate(ctx context.Context, user, lessonID, questionID string, rating fsrs.Rating, now time.Time) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.Rate(ctx, lessonID, questionID, rating, now)
}

func (n *namedStore) CardDue(ctx context.Context, user, lessonID, questionID string) (time.Time, fsrs.Rating, bool, error) {
	l, err := n.learner(user)
	if err != nil {
		return time.Time{}, 0, false, err
	}
	return l.CardDue(ctx, lessonID, questionID)
}

func (n *namedStore) Flag(ctx context.Context, user, lessonID, questionID, comment string) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.Flag(ctx, lessonID, questionID, comment)
}

func (n *namedStore) Stats(ctx context.Context, user string, now time.Time) (progress.Stats, error) {
	l, err := n.learner(user)
	if err != nil {
		return progress.Stats{}, err
	}
	return l.Stats(ctx, now)
}

func (n *namedStore) Forecast(ctx context.Context, user string, now time.Time, days int) ([]int, error) {
	l, err := n.learner(user)
	if err != nil {
		return nil, err
	}
	return l.Forecast(ctx, now, days)
}

func (n *namedStore) ResetLesson(ctx context.Context, user, lessonID string) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.ResetLesson(ctx, lessonID)
}

func (n *namedStore) ResetAll(ctx context.Context, user string) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.ResetAll(ctx)
}

func (n *namedStore) UndoReset(ctx context.Context, user string) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.UndoReset(ctx)
}

func (n *namedStore) CompleteLabTask(ctx context.Context, user, lessonID, labID, taskID string) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.CompleteLabTask(ctx, lessonID, labID, taskID)
}

func (n *namedStore) LabTasks(ctx context.Context, user, lessonID, labID string) (map[string]time.Time, error) {
	l, err := n.learner(user)
	if err != nil {
		return nil, err
	}
	return l.LabTasks(ctx, lessonID, labID)
}

func (n *namedStore) SaveLabBuild(ctx context.Context, user, lessonID, labID string, b progress.LabBuild) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.SaveLabBuild(ctx, lessonID, labID, b)
}

func (n *namedStore) LabBuild(ctx context.Context, user, lessonID, labID string) (progress.LabBuild, bool, error) {
	l, err := n.learner(user)
	if err != nil {
		return progress.LabBuild{}, false, err
	}
	return l.LabBuild(ctx, lessonID, labID)
}

func (n *namedStore) Export(ctx context.Context, user string, w io.Writer) error {
	l, err := n.learner(user)
	if err != nil {
		return err
	}
	return l.Export(ctx, w)
}
