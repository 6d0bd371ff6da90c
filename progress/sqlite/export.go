package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"serverside/progress"
	"time"
)

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// Export writes the user's progress as JSON (format "serverside-progress",
// version 1): the user, answers not cleared by a reset, lesson states,
// review cards and flags. Times are UTC, to the millisecond.
func (s *Store) Export(ctx context.Context, user string, w io.Writer) error {
	f, err := s.export(ctx, user)
	if err != nil {
		return fmt.Errorf("export %q: %w", user, err)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("export %q: write: %w", user, err)
	}
	return nil
}

func (s *Store) export(ctx context.Context, user string) (progress.ExportFile, error) {
	f := progress.ExportFile{Format: progress.ExportFormat, Version: progress.ExportVersion, ExportedAt: s.now().UTC().Truncate(time.Millisecond),
		Attempts: []progress.ExportAttempt{}, LessonStates: []progress.ExportLessonState{}, Cards: []progress.ExportCard{}, Flags: []progress.ExportFlag{}, LabTasks: []progress.ExportLabTask{}}
	// One read transaction for a consistent snapshot.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return f, err
	}
	defer func() { _ = tx.Rollback() }()
	var userID, created int64
	err = tx.QueryRowContext(ctx, `SELECT id, created_at FROM users WHERE name = ?`, user).Scan(&userID, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("there is no user %q in %s", user, s.path)
	}
	if err != nil {
		return f, err
	}
	f.User = progress.ExportUser{Name: user, CreatedAt: fromMS(created).UTC()}

	err = eachRow(ctx, tx, `SELECT lesson_id, question_id, question_hash, answer, correct, hints_used, at, review
		FROM attempts WHERE user_id = ? AND reset_id IS NULL ORDER BY at, id`, []any{userID}, func(sc scanner) error {
		var a progress.ExportAttempt
		var at int64
		if err := sc.Scan(&a.LessonID, &a.QuestionID, &a.QuestionHash, &a.Answer, &a.Correct, &a.HintsUsed, &at, &a.Review); err != nil {
			return err
		}
		a.At = fromMS(at).UTC()
		f.Attempts = append(f.Attempts, a)
		return nil
	})
	if err != nil {
		return f, err
	}
	err = eachRow(ctx, tx, `SELECT `+lessonStateColumns+` FROM lesson_state WHERE user_id = ? ORDER BY lesson_id`,
		[]any{userID}, func(sc scanner) error {
			var l progress.ExportLessonState
			var status progress.LessonStatus
			var started, completed, seen sql.NullInt64
			if err := sc.Scan(&l.LessonID, &status, &l.Scroll, &started, &completed, &seen, &l.Seconds); err != nil {
				return err
			}
			l.Status = progress.StatusName(status)
			l.StartedAt, l.CompletedAt, l.SeenAt = optTime(fromNullMS(started)), optTime(fromNullMS(completed)), optTime(fromNullMS(seen))
			f.LessonStates = append(f.LessonStates, l)
			return nil
		})
	if err != nil {
		return f, err
	}
	err = eachRow(ctx, tx, `SELECT `+cardColumns+` FROM cards WHERE user_id = ? ORDER BY lesson_id, question_id`,
		[]any{userID}, func(sc scanner) error {
			r, err := scanCard(sc)
			if err != nil {
				return err
			}
			f.Cards = append(f.Cards, progress.ExportCard{
				LessonID: r.lessonID, QuestionID: r.questionID, State: int(r.card.State), Step: r.card.Step,
				Stability: r.card.Stability, Difficulty: r.card.Difficulty, Due: r.card.Due.UTC(), LastReview: r.card.LastReview.UTC(),
				Reps: r.card.Reps, Lapses: r.card.Lapses, LastDay: r.lastDay, LastRating: int(r.lastRating), Prev: r.prev,
				CreatedAt: r.createdAt.UTC(),
			})
			return nil
		})
	if err != nil {
		return f, err
	}
	err = eachRow(ctx, tx, `SELECT lesson_id, question_id, comment, at FROM flags WHERE user_id = ? ORDER BY at, id`,
		[]any{userID}, func(sc scanner) error {
			var fl progress.ExportFlag
			var at int64
			if err := sc.Scan(&fl.LessonID, &fl.QuestionID, &fl.Comment, &at); err != nil {
				return err
			}
			fl.At = fromMS(at).UTC()
			f.Flags = append(f.Flags, fl)
			return nil
		})
	if err != nil {
		return f, err
	}
	err = eachRow(ctx, tx, `SELECT lesson_id, lab_id, task_id, done_at FROM lab_tasks WHERE user_id = ? ORDER BY done_at, lesson_id, lab_id, task_id`,
		[]any{userID}, func(sc scanner) error {
			var lt progress.ExportLabTask
			var at int64
			if err := sc.Scan(&lt.LessonID, &lt.LabID, &lt.TaskID, &at); err != nil {
				return err
			}
			lt.DoneAt = fromMS(at).UTC()
			f.LabTasks = append(f.LabTasks, lt)
			return nil
		})
	return f, err
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func eachRow(ctx context.Context, q querier, query string, args []any, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Import merges an export file into the database, for the user named in the
// file (created when missing). It is idempotent: importing the same file
// twice adds nothing the second time. Answers are the same when user, lesson,
// question, time and answer match (a reset answer counts, so importing an
// old export does not undo a reset's hiding of it). Lesson states merge
// field by field (furthest status, earliest start and completion, latest
// visit and its scroll, the larger reading time); a card is replaced only by
// one reviewed more recently; flags dedupe like answers. Everything is one
// transaction: a bad file changes nothing.
func (s *Store) Import(ctx context.Context, r io.Reader) (progress.ImportResult, error) {
	f, err := progress.DecodeExport(r)
	if err != nil {
		return progress.ImportResult{}, err
	}
	res := progress.ImportResult{User: f.User.Name}
	err = s.write(ctx, func(tx *sql.Tx) error {
		res = progress.ImportResult{User: f.User.Name}
		return s.importFile(ctx, tx, f, &res)
	})
	if err != nil {
		return progress.ImportResult{}, fmt.Errorf("import progress of %q: %w", f.User.Name, err)
	}
	return res, nil
}

func (s *Store) importFile(ctx context.Context, tx *sql.Tx, f progress.ExportFile, res *progress.ImportResult) error {
	u, err := s.ensureUser(ctx, tx, f.User.Name)
	if err != nil {
		return err
	}
	if !f.User.CreatedAt.IsZero() {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET created_at = min(created_at, ?) WHERE id = ?`,
			ms(f.User.CreatedAt), u.ID); err != nil {
			return err
		}
	}
	count := func(r sql.Result, n *int) error {
		k, err := r.RowsAffected()
		*n += int(k)
		return err
	}
	for _, a := range f.Attempts {
		r, err := tx.ExecContext(ctx, `
			INSERT INTO attempts (user_id, lesson_id, question_id, question_hash, answer, correct, hints_used, at, review, day)
			SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
			WHERE NOT EXISTS (SELECT 1 FROM attempts
				WHERE user_id = ?1 AND lesson_id = ?2 AND question_id = ?3 AND at = ?8 AND answer = ?5)`,
			u.ID, a.LessonID, a.QuestionID, a.QuestionHash, a.Answer, a.Correct, a.HintsUsed, ms(a.At), a.Review, day(a.At))
		if err != nil {
			return err
		}
		if err := count(r, &res.Attempts); err != nil {
			return err
		}
	}
	if res.Attempts > 0 {
		if err := refreshQuestionStats(ctx, tx, u.ID, ""); err != nil {
			return err
		}
	}
	for _, l := range f.LessonStates {
		status, _ := progress.StatusByName(l.Status)
		r, err := tx.ExecContext(ctx, `
			INSERT INTO lesson_state (user_id, lesson_id, status, scroll, started_at, completed_at, seen_at, seconds)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
			ON CONFLICT (user_id, lesson_id) DO UPDATE SET
				status       = max(status, excluded.status),
				scroll       = CASE WHEN coalesce(excluded.seen_at, 0) > coalesce(seen_at, 0) THEN excluded.scroll ELSE scroll END,
				started_at   = coalesce(min(started_at, excluded.started_at), started_at, excluded.started_at),
				completed_at = coalesce(min(completed_at, excluded.completed_at), completed_at, excluded.completed_at),
				seen_at      = coalesce(max(seen_at, excluded.seen_at), seen_at, excluded.seen_at),
				seconds      = max(seconds, excluded.seconds)
			WHERE status < excluded.status
			   OR coalesce(excluded.seen_at, 0) > coalesce(seen_at, 0)
			   OR coalesce(excluded.started_at, 1e18) < coalesce(started_at, 1e18)
			   OR coalesce(excluded.completed_at, 1e18) < coalesce(completed_at, 1e18)
			   OR excluded.seconds > seconds`,
			u.ID, l.LessonID, status, l.Scroll, nullTimePtr(l.StartedAt), nullTimePtr(l.CompletedAt), nullTimePtr(l.SeenAt), l.Seconds)
		if err != nil {
			return err
		}
		if err := count(r, &res.LessonStates); err != nil {
			return err
		}
	}
	for _, c := range f.Cards {
		r, err := tx.ExecContext(ctx, `
			INSERT INTO cards (user_id, `+cardColumns+`)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
			ON CONFLICT (user_id, lesson_id, question_id) DO UPDATE SET
				state = excluded.state, step = excluded.step, stability = excluded.stability,
				difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review,
				reps = excluded.reps, lapses = excluded.lapses, last_day = excluded.last_day,
				last_rating = excluded.last_rating, prev = excluded.prev,
				created_at = min(created_at, excluded.created_at)
			WHERE excluded.last_review > last_review`,
			u.ID, c.LessonID, c.QuestionID, c.State, c.Step, c.Stability, c.Difficulty, ms(c.Due), ms(c.LastReview),
			c.Reps, c.Lapses, c.LastDay, c.LastRating, c.Prev, ms(c.CreatedAt))
		if err != nil {
			return err
		}
		if err := count(r, &res.Cards); err != nil {
			return err
		}
	}
	for _, fl := range f.Flags {
		r, err := tx.ExecContext(ctx, `
			INSERT INTO flags (user_id, lesson_id, question_id, comment, at)
			SELECT ?1, ?2, ?3, ?4, ?5
			WHERE NOT EXISTS (SELECT 1 FROM flags
				WHERE user_id = ?1 AND lesson_id = ?2 AND question_id = ?3 AND at = ?5 AND comment = ?4)`,
			u.ID, fl.LessonID, fl.QuestionID, fl.Comment, ms(fl.At))
		if err != nil {
			return err
		}
		if err := count(r, &res.Flags); err != nil {
			return err
		}
	}
	for _, lt := range f.LabTasks {
		// A task is done once: keep the earliest time it was met.
		r, err := tx.ExecContext(ctx, `
			INSERT INTO lab_tasks (user_id, lesson_id, lab_id, task_id, done_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, lesson_id, lab_id, task_id) DO UPDATE SET done_at = excluded.done_at
			WHERE excluded.done_at < lab_tasks.done_at`,
			u.ID, lt.LessonID, lt.LabID, lt.TaskID, ms(lt.DoneAt))
		if err != nil {
			return err
		}
		if err := count(r, &res.LabTasks); err != nil {
			return err
		}
	}
	return nil
}

func nullTimePtr(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return nullMS(*t)
}
