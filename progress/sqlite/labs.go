package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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

// LabBuild is the last check of a build lab: where it ran and how it went.
type LabBuild struct {
	Addr   string
	Passed bool
	// Stages is each stage's outcome, in order; stages after a failure
	// did not run.
	Stages []LabStage
	// Failure is the failing stage's report, as shown, or "".
	Failure   string
	CheckedAt time.Time
}

// LabStage is one stage's outcome in a LabBuild.
type LabStage struct {
	ID     string `json:"id"`
	Ran    bool   `json:"ran"`
	Passed bool   `json:"passed"`
}

// Bounds of a stored LabBuild: a report longer than this is cut, saying so.
const (
	maxBuildFailure = 16 << 10
	maxBuildAddr    = 256
	maxBuildStages  = 100
)

// SaveLabBuild keeps b as the user's last check of a build lab, replacing
// the one before; CheckedAt zero means now.
func (s *Store) SaveLabBuild(ctx context.Context, user, lessonID, labID string, b LabBuild) error {
	b, stages, err := PrepareLabBuild(lessonID, labID, b, s.now())
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

// PrepareLabBuild checks and bounds a build lab check before any backend
// stores it: a report longer than 16 KiB is cut, saying so; CheckedAt zero
// becomes now. It returns the stages as the JSON text backends store.
func PrepareLabBuild(lessonID, labID string, b LabBuild, now time.Time) (LabBuild, string, error) {
	if lessonID == "" || labID == "" {
		return b, "", fmt.Errorf("lesson %q and lab %q must both be set", lessonID, labID)
	}
	if len(b.Addr) > maxBuildAddr || len(b.Stages) > maxBuildStages {
		return b, "", fmt.Errorf("%s/%s: an address of %d bytes and %d stages is more than a check has", lessonID, labID, len(b.Addr), len(b.Stages))
	}
	if len(b.Failure) > maxBuildFailure {
		b.Failure = strings.ToValidUTF8(b.Failure[:maxBuildFailure], "") + "\n… (cut: the report was longer than 16 KiB)"
	}
	if b.CheckedAt.IsZero() {
		b.CheckedAt = now
	}
	b.CheckedAt = time.UnixMilli(b.CheckedAt.UnixMilli())
	if b.Stages == nil {
		b.Stages = []LabStage{}
	}
	stages, err := json.Marshal(b.Stages)
	return b, string(stages), err
}

// LabBuild returns the user's last check of a build lab; ok is false when
// there was none.
func (s *Store) LabBuild(ctx context.Context, user, lessonID, labID string) (b LabBuild, ok bool, err error) {
	id, found, err := s.userID(ctx, user)
	if err != nil || !found {
		return LabBuild{}, false, err
	}
	var stages string
	var at int64
	err = s.db.QueryRowContext(ctx, `SELECT addr, passed, stages, failure, checked_at FROM lab_builds
		WHERE user_id = ? AND lesson_id = ? AND lab_id = ?`, id, lessonID, labID).Scan(&b.Addr, &b.Passed, &stages, &b.Failure, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return LabBuild{}, false, nil
	}
	if err != nil {
		return LabBuild{}, false, fmt.Errorf("build lab check %s/%s for %q: %w", lessonID, labID, user, err)
	}
	if err := json.Unmarshal([]byte(stages), &b.Stages); err != nil {
		return LabBuild{}, false, fmt.Errorf("build lab check %s/%s for %q: its stages are not readable: %w", lessonID, labID, user, err)
	}
	b.CheckedAt = fromMS(at)
	return b, true, nil
}
