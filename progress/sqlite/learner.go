package sqlite

import (
	"context"
	"fmt"
	"io"
	"serverside/progress"
	"time"

	"serverside/fsrs"
)

// Learner binds the SQLite store to one learner (see Backend.Learner).
func (s *Store) Learner(name string) (progress.Learner, error) {
	if err := progress.CheckName(name); err != nil {
		return nil, fmt.Errorf("learner: %w", err)
	}
	return storeLearner{s: s, name: name}, nil
}

// storeLearner passes its one name to every Store call, so no caller holds
// a name it could change.
type storeLearner struct {
	s    *Store
	name string
}

func (l storeLearner) Name() string { return l.name }

func (l storeLearner) Record(ctx context.Context, a progress.Attempt) (progress.Attempt, error) {
	a.User = l.name
	return l.s.RecordAttempt(ctx, a)
}

func (l storeLearner) Latest(ctx context.Context, lessonID string) (map[string]progress.Attempt, error) {
	return l.s.LatestAttempts(ctx, l.name, lessonID)
}

func (l storeLearner) LessonStates(ctx context.Context) (map[string]progress.LessonState, error) {
	return l.s.LessonStates(ctx, l.name)
}

func (l storeLearner) StartLesson(ctx context.Context, lessonID string) error {
	return l.s.StartLesson(ctx, l.name, lessonID)
}

func (l storeLearner) SaveScroll(ctx context.Context, lessonID string, scroll int) error {
	return l.s.SaveScroll(ctx, l.name, lessonID, scroll)
}

func (l storeLearner) AddTime(ctx context.Context, lessonID string, seconds int) error {
	return l.s.AddTime(ctx, l.name, lessonID, seconds)
}

func (l storeLearner) CompleteLesson(ctx context.Context, lessonID string) error {
	return l.s.CompleteLesson(ctx, l.name, lessonID)
}

func (l storeLearner) LastPosition(ctx context.Context) (string, int, bool, error) {
	return l.s.LastPosition(ctx, l.name)
}

func (l storeLearner) Due(ctx context.Context, now time.Time, newCap int) ([]progress.Card, error) {
	return l.s.Due(ctx, l.name, now, newCap)
}

func (l storeLearner) DueCount(ctx context.Context, now time.Time, newCap int) (int, error) {
	return l.s.DueCount(ctx, l.name, now, newCap)
}

func (l storeLearner) Rate(ctx context.Context, lessonID, questionID string, rating fsrs.Rating, now time.Time) error {
	return l.s.Rate(ctx, l.name, lessonID, questionID, rating, now)
}

func (l storeLearner) CardDue(ctx context.Context, lessonID, questionID string) (time.Time, fsrs.Rating, bool, error) {
	return l.s.CardDue(ctx, l.name, lessonID, questionID)
}

func (l storeLearner) Forecast(ctx context.Context, now time.Time, days int) ([]int, error) {
	return l.s.Forecast(ctx, l.name, now, days)
}

func (l storeLearner) Stats(ctx context.Context, now time.Time) (progress.Stats, error) {
	return l.s.Stats(ctx, l.name, now)
}

func (l storeLearner) Flag(ctx context.Context, lessonID, questionID, comment string) error {
	return l.s.Flag(ctx, l.name, lessonID, questionID, comment)
}

func (l storeLearner) ResetLesson(ctx context.Context, lessonID string) error {
	return l.s.ResetLesson(ctx, l.name, lessonID)
}

func (l storeLearner) ResetAll(ctx context.Context) error { return l.s.ResetAll(ctx, l.name) }

func (l storeLearner) UndoReset(ctx context.Context) error { return l.s.UndoReset(ctx, l.name) }

func (l storeLearner) CompleteLabTask(ctx context.Context, lessonID, labID, taskID string) error {
	return l.s.CompleteLabTask(ctx, l.name, lessonID, labID, taskID)
}

func (l storeLearner) LabTasks(ctx context.Context, lessonID, labID string) (map[string]time.Time, error) {
	return l.s.LabTasks(ctx, l.name, lessonID, labID)
}

func (l storeLearner) SaveLabBuild(ctx context.Context, lessonID, labID string, b progress.LabBuild) error {
	return l.s.SaveLabBuild(ctx, l.name, lessonID, labID, b)
}

func (l storeLearner) LabBuild(ctx context.Context, lessonID, labID string) (progress.LabBuild, bool, error) {
	return l.s.LabBuild(ctx, l.name, lessonID, labID)
}

func (l storeLearner) Export(ctx context.Context, w io.Writer) error {
	return l.s.Export(ctx, l.name, w)
}
