package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"serverside/progress"
	"time"
)

// CompleteLabTask records that the user met a lab task. Doing it again
// keeps the first time: a task is done once.
func (s *Store) CompleteLabTask(ctx context.Context, user, lessonID, labID, taskID string) error {
	if lessonID == "" || labID == "" || taskID == "" {
		return fmt.Errorf("lab task for %q: lesson %q, lab %q and task %q must all be set", user, lessonID, labID, taskID)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		u, err := s.ensureUser(ctx, tx, user)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO lab_tasks (user_id, lesson_id, lab_id, task_id, done_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, u.ID, lessonID, labID, taskID, ms(s.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("lab task %s/%s/%s for %q: %w", lessonID, labID, taskID, user, err)
	}
	return nil
}

// LabTasks returns when the user first met each task of a lab, by task id.
func (s *Store) LabTasks(ctx context.Context, user, lessonID, labID string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	id, ok, err := s.userID(ctx, user)
	if err != nil || !ok {
		return out, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT task_id, done_at FROM lab_tasks
		WHERE user_id = ? AND lesson_id = ? AND lab_id = ?`, id, lessonID, labID)
	if err != nil {
		return nil, fmt.Errorf("lab tasks %s/%s for %q: %w", lessonID, labID, user, err)
	}
	defer rows.Close()
	for rows.Next() {
		var task string
		var at int64
		if err := rows.Scan(&task, &at); err != nil {
			return nil, err
		}
		out[task] = fromMS(at)
	}
	return out, rows.Err()
}

// SaveLabBuild keeps b as the user's last check of a build lab, replacing
// the one before; CheckedAt zero means now.
func (s *Store) SaveLabBuild(ctx context.Context, user, lessonID, labID string, b progress.LabBuild) error {
	b, stages, err := progress.PrepareLabBuild(lessonID, labID, b, s.now())
	if err != nil {
		return fmt.Errorf("build lab check for %q: %w", user, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		u, err := s.ensureUser(ctx, tx, user)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO lab_builds (user_id, lesson_id, lab_id, addr, passed, stages, failure, checked_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (user_id, lesson_id, lab_id) DO UPDATE SET addr = excluded.addr, passed = excluded.passed,
				stages = excluded.stages, failure = excluded.failure, checked_at = excluded.checked_at`,
			u.ID, lessonID, labID, b.Addr, b.Passed, stages, b.Failure, ms(b.CheckedAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("build lab check %s/%s for %q: %w", lessonID, labID, user, err)
	}
	return nil
}

// LabBuild returns the user's last check of a build lab; ok is false when
// there was none.
func (s *Store) LabBuild(ctx context.Context, user, lessonID, labID string) (b progress.LabBuild, ok bool, err error) {
	id, found, err := s.userID(ctx, user)
	if err != nil || !found {
		return progress.LabBuild{}, false, err
	}
	var stages string
	var at int64
	err = s.db.QueryRowContext(ctx, `SELECT addr, passed, stages, failure, checked_at FROM lab_builds
		WHERE user_id = ? AND lesson_id = ? AND lab_id = ?`, id, lessonID, labID).Scan(&b.Addr, &b.Passed, &stages, &b.Failure, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return progress.LabBuild{}, false, nil
	}
	if err != nil {
		return progress.LabBuild{}, false, fmt.Errorf("build lab check %s/%s for %q: %w", lessonID, labID, user, err)
	}
	if err := json.Unmarshal([]byte(stages), &b.Stages); err != nil {
		return progress.LabBuild{}, false, fmt.Errorf("build lab check %s/%s for %q: its stages are not readable: %w", lessonID, labID, user, err)
	}
	b.CheckedAt = fromMS(at)
	return b, true, nil
}
