package server

import (
	"context"
	"sync"
	"time"

	"serverside/fsrs"
	"serverside/progress"
)

// sessionLearner is one session's progress.Learner. Writes run on a
// context of their own (bounded by writeTimeout) rather than the
// session's: an answer submitted a moment before the learner's connection
// drops, or the server shuts down, is still stored, and the server waits
// for it (writes) before closing the store. Answers and lessons opened are
// told to the room, for the instructors' class view.
type sessionLearner struct {
	progress.Learner
	room    *room
	writes  *sync.WaitGroup
	timeout time.Duration
}

func (l *sessionLearner) write(ctx context.Context, fn func(context.Context) error) error {
	l.writes.Add(1)
	defer l.writes.Done()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
	defer cancel()
	return fn(ctx)
}

func (l *sessionLearner) Record(ctx context.Context, a progress.Attempt) (progress.Attempt, error) {
	var stored progress.Attempt
	err := l.write(ctx, func(ctx context.Context) error {
		var err error
		stored, err = l.Learner.Record(ctx, a)
		return err
	})
	if err == nil {
		l.room.answered(l.Name(), stored)
	}
	return stored, err
}

func (l *sessionLearner) StartLesson(ctx context.Context, lessonID string) error {
	err := l.write(ctx, func(ctx context.Context) error { return l.Learner.StartLesson(ctx, lessonID) })
	if err == nil {
		l.room.opened(l.Name(), lessonID)
	}
	return err
}

func (l *sessionLearner) SaveScroll(ctx context.Context, lessonID string, scroll int) error {
	return l.write(ctx, func(ctx context.Context) error { return l.Learner.SaveScroll(ctx, lessonID, scroll) })
}

func (l *sessionLearner) AddTime(ctx context.Context, lessonID string, seconds int) error {
	return l.write(ctx, func(ctx context.Context) error { return l.Learner.AddTime(ctx, lessonID, seconds) })
}

func (l *sessionLearner) CompleteLesson(ctx context.Context, lessonID string) error {
	err := l.write(ctx, func(ctx context.Context) error { return l.Learner.CompleteLesson(ctx, lessonID) })
	if err == nil {
		l.room.changed()
	}
	return err
}

func (l *sessionLearner) Rate(ctx context.Context, lessonID, questionID string, rating fsrs.Rating, now time.Time) error {
	return l.write(ctx, func(ctx context.Context) error { return l.Learner.Rate(ctx, lessonID, questionID, rating, now) })
}

func (l *sessionLearner) Flag(ctx context.Context, lessonID, questionID, comment string) error {
	err := l.write(ctx, func(ctx context.Context) error { return l.Learner.Flag(ctx, lessonID, questionID, comment) })
	if err == nil {
		l.room.changed()
	}
	return err
}

func (l *sessionLearner) ResetLesson(ctx context.Context, lessonID string) error {
	err := l.write(ctx, func(ctx context.Context) error { return l.Learner.ResetLesson(ctx, lessonID) })
	if err == nil {
		l.room.changed()
	}
	return err
}

func (l *sessionLearner) ResetAll(ctx context.Context) error {
	err := l.write(ctx, func(ctx context.Context) error { return l.Learner.ResetAll(ctx) })
	if err == nil {
		l.room.changed()
	}
	return err
}

func (l *sessionLearner) UndoReset(ctx context.Context) error {
	err := l.write(ctx, func(ctx context.Context) error { return l.Learner.UndoReset(ctx) })
	if err == nil {
		l.room.changed()
	}
	return err
}

func (l *sessionLearner) CompleteLabTask(ctx context.Context, lessonID, labID, taskID string) error {
	err := l.write(ctx, func(ctx context.Context) error { return l.Learner.CompleteLabTask(ctx, lessonID, labID, taskID) })
	if err == nil {
		l.room.changed()
	}
	return err
}

func (l *sessionLearner) SaveLabBuild(ctx context.Context, lessonID, labID string, b progress.LabBuild) error {
	return l.write(ctx, func(ctx context.Context) error { return l.Learner.SaveLabBuild(ctx, lessonID, labID, b) })
}
