package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"serverside/progress"
	"time"
)

// forecastDays is how far Stats looks ahead.
const forecastDays = 7

// Stats summarises the user's progress at now. An unknown user has empty
// stats.
func (s *Store) Stats(ctx context.Context, user string, now time.Time) (progress.Stats, error) {
	st := progress.Stats{User: user, Lessons: map[string]progress.LessonStats{}, Forecast: make([]int, forecastDays)}
	id, ok, err := s.userID(ctx, user)
	if err != nil || !ok {
		return st, wrapErr(err, "stats of %q", user)
	}
	if err := s.lessonStats(ctx, statsWhere, []any{id}, func(_ int64, l progress.LessonStats) {
		st.Lessons[l.LessonID] = l
	}); err != nil {
		return st, fmt.Errorf("stats of %q: %w", user, err)
	}
	states, err := s.LessonStates(ctx, user)
	if err != nil {
		return st, err
	}
	st.AddLessonStates(states)
	if st.StreakDays, st.PracticedToday, err = s.streak(ctx, id, now); err != nil {
		return st, fmt.Errorf("stats of %q: %w", user, err)
	}
	if st.Forecast, err = s.Forecast(ctx, user, now, forecastDays); err != nil {
		return st, err
	}
	st.DueNow = st.Forecast[0]
	return st, nil
}

func wrapErr(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// lessonStats aggregates question_stats per (user, lesson), calling fn once
// per pair in primary-key order. It fills the answer counts only; Status and
// Seconds come from lesson_state.
func (s *Store) lessonStats(ctx context.Context, where string, args []any, fn func(userID int64, l progress.LessonStats)) error {
	return lessonStatsQuery(ctx, s.db, where, args, fn)
}

func lessonStatsQuery(ctx context.Context, q querier, where string, args []any, fn func(userID int64, l progress.LessonStats)) error {
	rows, err := q.QueryContext(ctx, lessonStatsSQL(where), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur progress.LessonStats
	var curUser int64
	have := false
	for rows.Next() {
		var userID int64
		var lessonID string
		var n, correct int
		var latestRight bool
		if err := rows.Scan(&userID, &lessonID, &n, &correct, &latestRight); err != nil {
			return err
		}
		if !have || userID != curUser || lessonID != cur.LessonID {
			if have {
				fn(curUser, cur)
			}
			cur, curUser, have = progress.LessonStats{LessonID: lessonID}, userID, true
		}
		cur.Attempts += n
		cur.Correct += correct
		cur.Questions++
		if latestRight {
			cur.Right++
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if have {
		fn(curUser, cur)
	}
	return nil
}

// The filters lessonStatsSQL is used with: one user's questions, everyone's.
const (
	statsWhere  = `WHERE user_id = ?`
	reportWhere = ``
)

// lessonStatsSQL returns one row per (user, question) answered, in
// (user, lesson) order.
func lessonStatsSQL(where string) string {
	return `SELECT user_id, lesson_id, attempts, correct, latest_correct
		FROM question_stats ` + where + `
		ORDER BY user_id, lesson_id, question_id`
}

// questionStatsUpsertSQL counts one new answer.
const questionStatsUpsertSQL = `
	INSERT INTO question_stats (user_id, lesson_id, question_id, attempts, correct, latest_at, latest_correct)
	VALUES (?, ?, ?, 1, ?, ?, ?)
	ON CONFLICT (user_id, lesson_id, question_id) DO UPDATE SET
		attempts       = attempts + 1,
		correct        = correct + excluded.correct,
		latest_correct = CASE WHEN excluded.latest_at >= latest_at THEN excluded.latest_correct ELSE latest_correct END,
		latest_at      = max(latest_at, excluded.latest_at)`

// refreshQuestionStats recounts question_stats from attempts for one lesson
// of a user, or all of them for lessonID "", after a reset, undo or import.
func refreshQuestionStats(ctx context.Context, tx *sql.Tx, userID int64, lessonID string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM question_stats WHERE user_id = ?1 AND (?2 = '' OR lesson_id = ?2)`,
		userID, lessonID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO question_stats (user_id, lesson_id, question_id, attempts, correct, latest_at, latest_correct)
		SELECT user_id, lesson_id, question_id, count(*), sum(correct), max(at), correct
		FROM attempts WHERE user_id = ?1 AND (?2 = '' OR lesson_id = ?2) AND reset_id IS NULL
		GROUP BY user_id, lesson_id, question_id`, userID, lessonID)
	return err
}

const streakSQL = `SELECT DISTINCT day FROM attempts WHERE user_id = ? AND day <= ? ORDER BY day DESC`

// streak counts consecutive practice days ending today or yesterday. Days
// after today (a clock that was ahead) are ignored.
func (s *Store) streak(ctx context.Context, userID int64, now time.Time) (days int, today bool, err error) {
	rows, err := s.db.QueryContext(ctx, streakSQL, userID, day(now))
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	var practiced []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return 0, false, err
		}
		practiced = append(practiced, d)
	}
	if err := rows.Err(); err != nil {
		return 0, false, err
	}
	days, today = progress.Streak(practiced, now, now.Location())
	return days, today, nil
}
