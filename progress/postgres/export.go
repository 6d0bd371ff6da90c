package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"serverside/progress"
)

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := msTime(*t).UTC()
	return &u
}

// Export writes the same file as the SQLite store's Export, read in one
// repeatable-read snapshot.
func (l *learner) Export(ctx context.Context, w io.Writer) error {
	f := progress.ExportFile{Format: progress.ExportFormat, Version: progress.ExportVersion,
		ExportedAt: msTime(l.s.now()).UTC(), Attempts: []progress.ExportAttempt{}, LessonStates: []progress.ExportLessonState{},
		Cards: []progress.ExportCard{}, Flags: []progress.ExportFlag{}, LabTasks: []progress.ExportLabTask{}}
	err := pgx.BeginTxFunc(ctx, l.s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var uid int64
		var created time.Time
		err := tx.QueryRow(ctx, `SELECT id, created_at FROM users WHERE name = $1`, l.name).Scan(&uid, &created)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("there is no user %q in %s", l.name, l.s.where)
		}
		if err != nil {
			return err
		}
		f.User = progress.ExportUser{Name: l.name, CreatedAt: msTime(created).UTC()}

		rows, err := tx.Query(ctx, `SELECT lesson_id, question_id, question_hash, answer, correct, hints_used, at, review
			FROM attempts WHERE user_id = $1 AND reset_id IS NULL ORDER BY at, id`, uid)
		if err != nil {
			return err
		}
		var a progress.ExportAttempt
		if _, err := pgx.ForEachRow(rows, []any{&a.LessonID, &a.QuestionID, &a.QuestionHash, &a.Answer, &a.Correct, &a.HintsUsed, &a.At, &a.Review}, func() error {
			a.At = msTime(a.At).UTC()
			f.Attempts = append(f.Attempts, a)
			return nil
		}); err != nil {
			return err
		}

		rows, err = tx.Query(ctx, `SELECT `+lessonStateColumns+` FROM lesson_state WHERE user_id = $1 ORDER BY lesson_id`, uid)
		if err != nil {
			return err
		}
		var ls progress.ExportLessonState
		var status int16
		var started, completed, seen *time.Time
		if _, err := pgx.ForEachRow(rows, []any{&ls.LessonID, &status, &ls.Scroll, &started, &completed, &seen, &ls.Seconds}, func() error {
			ls.Status = progress.StatusName(progress.LessonStatus(status))
			ls.StartedAt, ls.CompletedAt, ls.SeenAt = utcPtr(started), utcPtr(completed), utcPtr(seen)
			f.LessonStates = append(f.LessonStates, ls)
			return nil
		}); err != nil {
			return err
		}

		rows, err = tx.Query(ctx, `SELECT lesson_id, question_id, `+cardColumns+` FROM cards WHERE user_id = $1 ORDER BY lesson_id, question_id`, uid)
		if err != nil {
			return err
		}
		for rows.Next() {
			var lessonID, questionID string
			r, err := scanCard(rows, &lessonID, &questionID)
			if err != nil {
				rows.Close()
				return err
			}
			f.Cards = append(f.Cards, progress.ExportCard{
				LessonID: lessonID, QuestionID: questionID, State: int(r.Card.State), Step: r.Card.Step,
				Stability: r.Card.Stability, Difficulty: r.Card.Difficulty, Due: r.Card.Due.UTC(), LastReview: r.Card.LastReview.UTC(),
				Reps: r.Card.Reps, Lapses: r.Card.Lapses, LastDay: r.LastDay, LastRating: int(r.LastRating), Prev: r.Prev,
				CreatedAt: r.CreatedAt.UTC(),
			})
		}
		if err := rows.Err(); err != nil {
			return err
		}

		rows, err = tx.Query(ctx, `SELECT lesson_id, question_id, comment, at FROM flags WHERE user_id = $1 ORDER BY at, id`, uid)
		if err != nil {
			return err
		}
		var fl progress.ExportFlag
		if _, err := pgx.ForEachRow(rows, []any{&fl.LessonID, &fl.QuestionID, &fl.Comment, &fl.At}, func() error {
			fl.At = msTime(fl.At).UTC()
			f.Flags = append(f.Flags, fl)
			return nil
		}); err != nil {
			return err
		}

		rows, err = tx.Query(ctx, `SELECT lesson_id, lab_id, task_id, done_at FROM lab_tasks WHERE user_id = $1
			ORDER BY done_at, lesson_id, lab_id, task_id`, uid)
		if err != nil {
			return err
		}
		var lt progress.ExportLabTask
		_, err = pgx.ForEachRow(rows, []any{&lt.LessonID, &lt.LabID, &lt.TaskID, &lt.DoneAt}, func() error {
			lt.DoneAt = msTime(lt.DoneAt).UTC()
			f.LabTasks = append(f.LabTasks, lt)
			return nil
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("export %q: %w", l.name, err)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("export %q: write: %w", l.name, err)
	}
	return nil
}

// Import merges an export file exactly as the SQLite store does (see
// sqlite.Store.Import): idempotent, field-by-field for lesson states, a
// card replaced only by one reviewed more recently, the earliest time of a
// lab task; all in one transaction, so a bad file changes nothing.
func (s *Store) Import(ctx context.Context, r io.Reader) (progress.ImportResult, error) {
	f, err := progress.DecodeExport(r)
	if err != nil {
		return progress.ImportResult{}, err
	}
	var res progress.ImportResult
	err = s.write(ctx, func(tx pgx.Tx) error {
		res = progress.ImportResult{User: f.User.Name}
		return s.importFile(ctx, tx, f, &res)
	})
	if err != nil {
		return progress.ImportResult{}, fmt.Errorf("import progress of %q: %w", f.User.Name, err)
	}
	return res, nil
}

func (s *Store) importFile(ctx context.Context, tx pgx.Tx, f progress.ExportFile, res *progress.ImportResult) error {
	uid, err := s.lockUser(ctx, tx, f.User.Name)
	if err != nil {
		return err
	}
	if !f.User.CreatedAt.IsZero() {
		if _, err := tx.Exec(ctx, `UPDATE users SET created_at = least(created_at, $1) WHERE id = $2`, msTime(f.User.CreatedAt), uid); err != nil {
			return err
		}
	}
	for _, a := range f.Attempts {
		at := msTime(a.At)
		tag, err := tx.Exec(ctx, `
			INSERT INTO attempts (user_id, lesson_id, question_id, question_hash, answer, correct, hints_used, at, review, day)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
			WHERE NOT EXISTS (SELECT 1 FROM attempts
				WHERE user_id = $1 AND lesson_id = $2 AND question_id = $3 AND at = $8 AND answer = $5)`,
			uid, a.LessonID, a.QuestionID, a.QuestionHash, a.Answer, a.Correct, a.HintsUsed, at, a.Review, progress.Day(at, at.Location()))
		if err != nil {
			return err
		}
		res.Attempts += int(tag.RowsAffected())
	}
	if res.Attempts > 0 {
		if err := refreshQuestionStats(ctx, tx, uid, ""); err != nil {
			return err
		}
	}
	for _, l := range f.LessonStates {
		status, _ := progress.StatusByName(l.Status)
		tag, err := tx.Exec(ctx, `
			INSERT INTO lesson_state AS ls (user_id, lesson_id, status, scroll, started_at, completed_at, seen_at, seconds)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (user_id, lesson_id) DO UPDATE SET
				status       = greatest(ls.status, excluded.status),
				scroll       = CASE WHEN excluded.seen_at > ls.seen_at OR (ls.seen_at IS NULL AND excluded.seen_at IS NOT NULL)
				                    THEN excluded.scroll ELSE ls.scroll END,
				started_at   = least(ls.started_at, excluded.started_at),
				completed_at = least(ls.completed_at, excluded.completed_at),
				seen_at      = greatest(ls.seen_at, excluded.seen_at),
				seconds      = greatest(ls.seconds, excluded.seconds)
			WHERE ls.status < excluded.status
			   OR excluded.seen_at > ls.seen_at OR (ls.seen_at IS NULL AND excluded.seen_at IS NOT NULL)
			   OR excluded.started_at < ls.started_at OR (ls.started_at IS NULL AND excluded.started_at IS NOT NULL)
			   OR excluded.completed_at < ls.completed_at OR (ls.completed_at IS NULL AND excluded.completed_at IS NOT NULL)
			   OR excluded.seconds > ls.seconds`,
			uid, l.LessonID, int16(status), l.Scroll, l.StartedAt, l.CompletedAt, l.SeenAt, l.Seconds)
		if err != nil {
			return err
		}
		res.LessonStates += int(tag.RowsAffected())
	}
	for _, c := range f.Cards {
		tag, err := tx.Exec(ctx, `
			INSERT INTO cards AS c (user_id, lesson_id, question_id, `+cardColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
			ON CONFLICT (user_id, lesson_id, question_id) DO UPDATE SET
				state = excluded.state, step = excluded.step, stability = excluded.stability,
				difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review,
				reps = excluded.reps, lapses = excluded.lapses, last_day = excluded.last_day,
				last_rating = excluded.last_rating, prev = excluded.prev,
				created_at = least(c.created_at, excluded.created_at)
			WHERE excluded.last_review > c.last_review`,
			uid, c.LessonID, c.QuestionID, int16(c.State), c.Step, c.Stability, c.Difficulty, msTime(c.Due), msTime(c.LastReview),
			c.Reps, c.Lapses, c.LastDay, int16(c.LastRating), c.Prev, msTime(c.CreatedAt))
		if err != nil {
			return err
		}
		res.Cards += int(tag.RowsAffected())
	}
	for _, fl := range f.Flags {
		tag, err := tx.Exec(ctx, `
			INSERT INTO flags (user_id, lesson_id, question_id, comment, at)
			SELECT $1, $2, $3, $4, $5
			WHERE NOT EXISTS (SELECT 1 FROM flags
				WHERE user_id = $1 AND lesson_id = $2 AND question_id = $3 AND at = $5 AND comment = $4)`,
			uid, fl.LessonID, fl.QuestionID, fl.Comment, msTime(fl.At))
		if err != nil {
			return err
		}
		res.Flags += int(tag.RowsAffected())
	}
	for _, lt := range f.LabTasks {
		tag, err := tx.Exec(ctx, `
			INSERT INTO lab_tasks AS t (user_id, lesson_id, lab_id, task_id, done_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (user_id, lesson_id, lab_id, task_id) DO UPDATE SET done_at = excluded.done_at
			WHERE excluded.done_at < t.done_at`,
			uid, lt.LessonID, lt.LabID, lt.TaskID, msTime(lt.DoneAt))
		if err != nil {
			return err
		}
		res.LabTasks += int(tag.RowsAffected())
	}
	return nil
}
