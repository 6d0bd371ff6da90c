package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"serverside/progress"
)

// Report builds the class report. Scores are reported as counts (questions
// answered, questions whose latest answer is right) because the store does
// not know how many questions a lesson has; the caller divides by the
// course's count.
func (s *Store) Report(ctx context.Context) (progress.Report, error) {
	var rep progress.Report
	// One read transaction, so the parts agree with each other.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return rep, fmt.Errorf("report: %w", err)
	}
	defer func() { _ = tx.Rollback() }()

	var ids []int64
	err = eachRow(ctx, tx, `SELECT id, name FROM users ORDER BY name`, nil, func(sc scanner) error {
		var id int64
		var name string
		if err := sc.Scan(&id, &name); err != nil {
			return err
		}
		ids = append(ids, id)
		rep.Users = append(rep.Users, progress.UserReport{User: name, Lessons: map[string]progress.LessonStats{}, LabTasks: map[string]int{}})
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("report: %w", err)
	}
	byID := make(map[int64]*progress.UserReport, len(ids))
	for i, id := range ids {
		byID[id] = &rep.Users[i]
	}

	err = lessonStatsQuery(ctx, tx, reportWhere, nil, func(userID int64, l progress.LessonStats) {
		if u := byID[userID]; u != nil {
			u.Lessons[l.LessonID] = l
		}
	})
	if err != nil {
		return rep, fmt.Errorf("report: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT user_id, lesson_id, status, seconds FROM lesson_state`, nil, func(sc scanner) error {
		var userID int64
		var lessonID string
		var status progress.LessonStatus
		var seconds int
		if err := sc.Scan(&userID, &lessonID, &status, &seconds); err != nil {
			return err
		}
		if u := byID[userID]; u != nil {
			l := u.Lessons[lessonID]
			l.LessonID, l.Status, l.Seconds = lessonID, status, seconds
			u.Lessons[lessonID] = l
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("report: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT user_id, lesson_id, count(*) FROM lab_tasks GROUP BY user_id, lesson_id`, nil, func(sc scanner) error {
		var userID int64
		var lessonID string
		var n int
		if err := sc.Scan(&userID, &lessonID, &n); err != nil {
			return err
		}
		if u := byID[userID]; u != nil {
			u.LabTasks[lessonID] = n
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("report: %w", err)
	}
	rep.Flags, err = queryFlags(ctx, tx, `ORDER BY f.lesson_id, f.question_id, f.at, f.id`)
	if err != nil {
		return rep, fmt.Errorf("report: %w", err)
	}
	return rep, nil
}
