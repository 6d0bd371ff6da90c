package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"serverside/progress"
)

func (s *Store) EnsureUser(ctx context.Context, name string) (progress.User, error) {
	if err := progress.CheckName(name); err != nil {
		return progress.User{}, err
	}
	u := progress.User{Name: name}
	err := s.write(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			INSERT INTO users (name, created_at) VALUES ($1, $2)
			ON CONFLICT (name) DO UPDATE SET name = excluded.name
			RETURNING id, created_at`, name, msTime(s.now())).Scan(&u.ID, &u.CreatedAt)
	})
	if err != nil {
		return progress.User{}, fmt.Errorf("ensure user %q: %w", name, err)
	}
	u.CreatedAt = msTime(u.CreatedAt)
	return u, nil
}

func (s *Store) Users(ctx context.Context) ([]progress.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name, created_at FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	var users []progress.User
	var u progress.User
	_, err = pgx.ForEachRow(rows, []any{&u.ID, &u.Name, &u.CreatedAt}, func() error {
		u.CreatedAt = msTime(u.CreatedAt)
		users = append(users, u)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

func queryFlags(ctx context.Context, q querier) ([]progress.Flag, error) {
	rows, err := q.Query(ctx, `
		SELECT f.id, u.name, f.lesson_id, f.question_id, f.comment, f.at
		FROM flags f JOIN users u ON u.id = f.user_id ORDER BY f.lesson_id, f.question_id, f.at, f.id`)
	if err != nil {
		return nil, err
	}
	var flags []progress.Flag
	var f progress.Flag
	_, err = pgx.ForEachRow(rows, []any{&f.ID, &f.User, &f.LessonID, &f.QuestionID, &f.Comment, &f.At}, func() error {
		f.At = msTime(f.At)
		flags = append(flags, f)
		return nil
	})
	return flags, err
}

func (s *Store) Flags(ctx context.Context) ([]progress.Flag, error) {
	flags, err := queryFlags(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("list flags: %w", err)
	}
	return flags, nil
}

// Report reads everything in one repeatable-read transaction, so its parts
// agree with each other while learners keep answering.
func (s *Store) Report(ctx context.Context) (progress.Report, error) {
	var rep progress.Report
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rep = progress.Report{}
		byID := map[int64]int{}
		rows, err := tx.Query(ctx, `SELECT id, name FROM users ORDER BY name`)
		if err != nil {
			return err
		}
		var id int64
		var name string
		if _, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error {
			byID[id] = len(rep.Users)
			rep.Users = append(rep.Users, progress.UserReport{User: name, Lessons: map[string]progress.LessonStats{}, LabTasks: map[string]int{}})
			return nil
		}); err != nil {
			return err
		}
		if err := lessonStats(ctx, tx, ``, nil, func(uid int64, l progress.LessonStats) {
			if i, ok := byID[uid]; ok {
				rep.Users[i].Lessons[l.LessonID] = l
			}
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT user_id, lesson_id, status, seconds FROM lesson_state`)
		if err != nil {
			return err
		}
		var lessonID string
		var status int16
		var seconds int
		if _, err := pgx.ForEachRow(rows, []any{&id, &lessonID, &status, &seconds}, func() error {
			if i, ok := byID[id]; ok {
				l := rep.Users[i].Lessons[lessonID]
				l.LessonID, l.Status, l.Seconds = lessonID, progress.LessonStatus(status), seconds
				rep.Users[i].Lessons[lessonID] = l
			}
			return nil
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT user_id, lesson_id, count(*) FROM lab_tasks GROUP BY user_id, lesson_id`)
		if err != nil {
			return err
		}
		var n int
		if _, err := pgx.ForEachRow(rows, []any{&id, &lessonID, &n}, func() error {
			if i, ok := byID[id]; ok {
				rep.Users[i].LabTasks[lessonID] = n
			}
			return nil
		}); err != nil {
			return err
		}
		rep.Flags, err = queryFlags(ctx, tx)
		return err
	})
	if err != nil {
		return progress.Report{}, fmt.Errorf("report: %w", err)
	}
	return rep, nil
}

// refreshQuestionStats recounts question_stats from attempts for one lesson
// of a learner, or all of them for lessonID "", after a reset, undo or import.
func refreshQuestionStats(ctx context.Context, tx pgx.Tx, uid int64, lessonID string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM question_stats WHERE user_id = $1 AND ($2 = '' OR lesson_id = $2)`, uid, lessonID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO question_stats (user_id, lesson_id, question_id, attempts, correct, latest_at, latest_correct)
		SELECT user_id, lesson_id, question_id, count(*), count(*) FILTER (WHERE correct), max(at),
			(array_agg(correct ORDER BY at DESC, id DESC))[1]
		FROM attempts WHERE user_id = $1 AND ($2 = '' OR lesson_id = $2) AND reset_id IS NULL
		GROUP BY user_id, lesson_id, question_id`, uid, lessonID)
	return err
}

func (l *learner) ResetLesson(ctx context.Context, lessonID string) error {
	if lessonID == "" {
		return fmt.Errorf("reset lesson for %q: lesson ID is empty (use ResetAll to reset everything)", l.name)
	}
	return l.reset(ctx, lessonID)
}

func (l *learner) ResetAll(ctx context.Context) error { return l.reset(ctx, "") }

// scope matches one lesson's rows of a learner, or all of them for "".
const scope = `user_id = $1 AND ($2 = '' OR lesson_id = $2)`

func (l *learner) reset(ctx context.Context, lessonID string) error {
	err := l.s.write(ctx, func(tx pgx.Tx) error {
		uid, ok, err := userID(ctx, tx, l.name)
		if err != nil || !ok {
			return err // an unknown learner has nothing to reset
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, uid); err != nil {
			return err
		}
		var resetID int64
		if err := tx.QueryRow(ctx, `INSERT INTO resets (user_id, lesson_id, at) VALUES ($1, $2, $3) RETURNING id`,
			uid, lessonID, msTime(l.s.now())).Scan(&resetID); err != nil {
			return err
		}
		var changed int64
		for _, q := range []struct {
			sql     string
			resetID bool // the statement takes the reset's id as $3
		}{
			{`UPDATE attempts SET reset_id = $3 WHERE ` + scope + ` AND reset_id IS NULL`, true},
			{`INSERT INTO reset_lesson_state (reset_id, ` + lessonStateColumns + `)
				SELECT $3, ` + lessonStateColumns + ` FROM lesson_state WHERE ` + scope, true},
			{`DELETE FROM lesson_state WHERE ` + scope, false},
			{`INSERT INTO reset_cards (reset_id, lesson_id, question_id, ` + cardColumns + `)
				SELECT $3, lesson_id, question_id, ` + cardColumns + ` FROM cards WHERE ` + scope, true},
			{`DELETE FROM cards WHERE ` + scope, false},
		} {
			args := []any{uid, lessonID}
			if q.resetID {
				args = append(args, resetID)
			}
			tag, err := tx.Exec(ctx, q.sql, args...)
			if err != nil {
				return err
			}
			changed += tag.RowsAffected()
		}
		if changed == 0 {
			// Nothing to clear: keep no empty reset, so undo reaches the last real one.
			_, err = tx.Exec(ctx, `DELETE FROM resets WHERE id = $1`, resetID)
			return err
		}
		return refreshQuestionStats(ctx, tx, uid, lessonID)
	})
	what := "all lessons"
	if lessonID != "" {
		what = "lesson " + lessonID
	}
	return l.wrap(err, "reset %s", what)
}

func (l *learner) UndoReset(ctx context.Context) error {
	err := l.s.write(ctx, func(tx pgx.Tx) error {
		uid, ok, err := userID(ctx, tx, l.name)
		if err != nil {
			return err
		}
		if !ok {
			return progress.ErrNothingToUndo
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, uid); err != nil {
			return err
		}
		var resetID int64
		var lessonID string
		err = tx.QueryRow(ctx, `SELECT id, lesson_id FROM resets WHERE user_id = $1 AND undone_at IS NULL ORDER BY id DESC LIMIT 1`,
			uid).Scan(&resetID, &lessonID)
		if errors.Is(err, pgx.ErrNoRows) {
			return progress.ErrNothingToUndo
		}
		if err != nil {
			return err
		}
		for _, q := range []string{
			`UPDATE attempts SET reset_id = NULL WHERE reset_id = $2 AND user_id = $1`,
			`INSERT INTO lesson_state (user_id, ` + lessonStateColumns + `)
				SELECT $1, ` + lessonStateColumns + ` FROM reset_lesson_state WHERE reset_id = $2
				ON CONFLICT (user_id, lesson_id) DO UPDATE SET status = excluded.status, scroll = excluded.scroll,
					started_at = excluded.started_at, completed_at = excluded.completed_at,
					seen_at = excluded.seen_at, seconds = excluded.seconds`,
			`DELETE FROM reset_lesson_state WHERE reset_id = $2 AND $1::bigint IS NOT NULL`,
			`INSERT INTO cards (user_id, lesson_id, question_id, ` + cardColumns + `)
				SELECT $1, lesson_id, question_id, ` + cardColumns + ` FROM reset_cards WHERE reset_id = $2
				ON CONFLICT (user_id, lesson_id, question_id) DO UPDATE SET
					state = excluded.state, step = excluded.step, stability = excluded.stability,
					difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review,
					reps = excluded.reps, lapses = excluded.lapses, last_day = excluded.last_day,
					last_rating = excluded.last_rating, prev = excluded.prev, created_at = excluded.created_at`,
			`DELETE FROM reset_cards WHERE reset_id = $2 AND $1::bigint IS NOT NULL`,
		} {
			if _, err := tx.Exec(ctx, q, uid, resetID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE resets SET undone_at = $2 WHERE id = $1`, resetID, msTime(l.s.now())); err != nil {
			return err
		}
		return refreshQuestionStats(ctx, tx, uid, lessonID)
	})
	return l.wrap(err, "undo reset")
}
