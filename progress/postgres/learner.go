package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"serverside/fsrs"
	"serverside/progress"
)

// Learner binds the store to one learner (see progress.Backend).
func (s *Store) Learner(name string) (progress.Learner, error) {
	if err := progress.CheckName(name); err != nil {
		return nil, fmt.Errorf("learner: %w", err)
	}
	return &learner{s: s, name: name}, nil
}

type learner struct {
	s    *Store
	name string
}

func (l *learner) Name() string { return l.name }

func (l *learner) wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+" for %q: %w", append(args, l.name, err)...)
}

func (l *learner) Record(ctx context.Context, a progress.Attempt) (progress.Attempt, error) {
	a.User = l.name
	if a.LessonID == "" || a.QuestionID == "" {
		return a, fmt.Errorf("record attempt for %q: lesson ID %q and question ID %q must both be set", l.name, a.LessonID, a.QuestionID)
	}
	if a.HintsUsed < 0 {
		return a, fmt.Errorf("record attempt for %q on %s/%s: hints used %d is negative", l.name, a.LessonID, a.QuestionID, a.HintsUsed)
	}
	if a.At.IsZero() {
		a.At = l.s.now()
	}
	a.At = msTime(a.At)
	err := l.s.write(ctx, func(tx pgx.Tx) error {
		uid, err := l.s.lockUser(ctx, tx, l.name)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO attempts (user_id, lesson_id, question_id, question_hash, answer, correct, hints_used, at, review, day)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			uid, a.LessonID, a.QuestionID, a.QuestionHash, a.Answer, a.Correct, a.HintsUsed, a.At, a.Review,
			progress.Day(a.At, a.At.Location())).Scan(&a.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO question_stats AS q (user_id, lesson_id, question_id, attempts, correct, latest_at, latest_correct)
			VALUES ($1, $2, $3, 1, $4::int, $5, $6)
			ON CONFLICT (user_id, lesson_id, question_id) DO UPDATE SET
				attempts       = q.attempts + 1,
				correct        = q.correct + excluded.correct,
				latest_correct = CASE WHEN excluded.latest_at >= q.latest_at THEN excluded.latest_correct ELSE q.latest_correct END,
				latest_at      = greatest(q.latest_at, excluded.latest_at)`,
			uid, a.LessonID, a.QuestionID, boolInt(a.Correct), a.At, a.Correct); err != nil {
			return err
		}
		rec, found, err := loadCard(ctx, tx, uid, a.LessonID, a.QuestionID)
		if err != nil {
			return err
		}
		next, save, err := progress.ScheduleAnswer(l.s.scheduler, rec, found, a, a.At.Location())
		if err != nil || !save {
			return err
		}
		return saveCard(ctx, tx, uid, a.LessonID, a.QuestionID, next)
	})
	if err != nil {
		return a, fmt.Errorf("record attempt for %q on %s/%s: %w", l.name, a.LessonID, a.QuestionID, err)
	}
	return a, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const cardColumns = `state, step, stability, difficulty, due, last_review, reps, lapses, last_day, last_rating, prev, created_at`

func scanCard(row pgx.Row, extra ...any) (progress.CardRecord, error) {
	var r progress.CardRecord
	var state, rating int16
	dest := append(extra, &state, &r.Card.Step, &r.Card.Stability, &r.Card.Difficulty, &r.Card.Due, &r.Card.LastReview,
		&r.Card.Reps, &r.Card.Lapses, &r.LastDay, &rating, &r.Prev, &r.CreatedAt)
	err := row.Scan(dest...)
	r.Card.State, r.LastRating = fsrs.State(state), fsrs.Rating(rating)
	r.Card.Due, r.Card.LastReview, r.CreatedAt = msTime(r.Card.Due), msTime(r.Card.LastReview), msTime(r.CreatedAt)
	return r, err
}

func loadCard(ctx context.Context, tx pgx.Tx, uid int64, lessonID, questionID string) (progress.CardRecord, bool, error) {
	r, err := scanCard(tx.QueryRow(ctx, `SELECT `+cardColumns+` FROM cards
		WHERE user_id = $1 AND lesson_id = $2 AND question_id = $3`, uid, lessonID, questionID))
	if errors.Is(err, pgx.ErrNoRows) {
		return progress.CardRecord{}, false, nil
	}
	return r, err == nil, err
}

func saveCard(ctx context.Context, tx pgx.Tx, uid int64, lessonID, questionID string, r progress.CardRecord) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO cards (user_id, lesson_id, question_id, `+cardColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (user_id, lesson_id, question_id) DO UPDATE SET
			state = excluded.state, step = excluded.step, stability = excluded.stability,
			difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review,
			reps = excluded.reps, lapses = excluded.lapses, last_day = excluded.last_day,
			last_rating = excluded.last_rating, prev = excluded.prev, created_at = excluded.created_at`,
		uid, lessonID, questionID, int16(r.Card.State), r.Card.Step, r.Card.Stability, r.Card.Difficulty,
		msTime(r.Card.Due), msTime(r.Card.LastReview), r.Card.Reps, r.Card.Lapses, r.LastDay, int16(r.LastRating), r.Prev, msTime(r.CreatedAt))
	return err
}

func (l *learner) Latest(ctx context.Context, lessonID string) (map[string]progress.Attempt, error) {
	rows, err := l.s.pool.Query(ctx, `
		SELECT DISTINCT ON (a.question_id) a.id, a.question_id, a.question_hash, a.answer, a.correct, a.hints_used, a.at, a.review
		FROM attempts a JOIN users u ON u.id = a.user_id
		WHERE u.name = $1 AND a.lesson_id = $2 AND a.reset_id IS NULL
		ORDER BY a.question_id, a.at DESC, a.id DESC`, l.name, lessonID)
	if err != nil {
		return nil, l.wrap(err, "latest attempts on %q", lessonID)
	}
	latest := map[string]progress.Attempt{}
	var a progress.Attempt
	_, err = pgx.ForEachRow(rows, []any{&a.ID, &a.QuestionID, &a.QuestionHash, &a.Answer, &a.Correct, &a.HintsUsed, &a.At, &a.Review}, func() error {
		a.User, a.LessonID, a.At = l.name, lessonID, msTime(a.At)
		latest[a.QuestionID] = a
		return nil
	})
	if err != nil {
		return nil, l.wrap(err, "latest attempts on %q", lessonID)
	}
	return latest, nil
}

const lessonStateColumns = `lesson_id, status, scroll, started_at, completed_at, seen_at, seconds`

func (l *learner) LessonStates(ctx context.Context) (map[string]progress.LessonState, error) {
	rows, err := l.s.pool.Query(ctx, `
		SELECT ls.lesson_id, ls.status, ls.scroll, ls.started_at, ls.completed_at, ls.seen_at, ls.seconds
		FROM lesson_state ls JOIN users u ON u.id = ls.user_id WHERE u.name = $1`, l.name)
	if err != nil {
		return nil, l.wrap(err, "lesson states")
	}
	states := map[string]progress.LessonState{}
	var st progress.LessonState
	var status int16
	var started, completed, seen *time.Time
	_, err = pgx.ForEachRow(rows, []any{&st.LessonID, &status, &st.Scroll, &started, &completed, &seen, &st.Seconds}, func() error {
		st.Status = progress.LessonStatus(status)
		st.StartedAt, st.CompletedAt, st.SeenAt = fromNull(started), fromNull(completed), fromNull(seen)
		states[st.LessonID] = st
		return nil
	})
	if err != nil {
		return nil, l.wrap(err, "lesson states")
	}
	return states, nil
}

// lessonWrite runs one statement on the learner's lesson_state row; it gets
// (user_id, lesson_id, now) as $1–$3 followed by args.
func (l *learner) lessonWrite(ctx context.Context, what, lessonID, query string, args ...any) error {
	if lessonID == "" {
		return fmt.Errorf("%s: lesson ID is empty", what)
	}
	err := l.s.write(ctx, func(tx pgx.Tx) error {
		uid, err := l.s.lockUser(ctx, tx, l.name)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, query, append([]any{uid, lessonID, msTime(l.s.now())}, args...)...)
		return err
	})
	return l.wrap(err, "%s %q", what, lessonID)
}

func (l *learner) StartLesson(ctx context.Context, lessonID string) error {
	return l.lessonWrite(ctx, "start lesson", lessonID, `
		INSERT INTO lesson_state AS ls (user_id, lesson_id, status, started_at, seen_at)
		VALUES ($1, $2, 1, $3, $3)
		ON CONFLICT (user_id, lesson_id) DO UPDATE SET
			status = greatest(ls.status, 1), started_at = coalesce(ls.started_at, $3), seen_at = $3`)
}

func (l *learner) SaveScroll(ctx context.Context, lessonID string, scroll int) error {
	return l.lessonWrite(ctx, "save scroll", lessonID, `
		INSERT INTO lesson_state AS ls (user_id, lesson_id, status, scroll, started_at, seen_at)
		VALUES ($1, $2, 1, $4, $3, $3)
		ON CONFLICT (user_id, lesson_id) DO UPDATE SET
			status = greatest(ls.status, 1), scroll = $4, started_at = coalesce(ls.started_at, $3), seen_at = $3`, max(scroll, 0))
}

func (l *learner) AddTime(ctx context.Context, lessonID string, seconds int) error {
	if seconds < 0 {
		return fmt.Errorf("add time to %q for %q: %d seconds is negative", lessonID, l.name, seconds)
	}
	if seconds == 0 {
		return nil
	}
	return l.lessonWrite(ctx, "add time", lessonID, `
		INSERT INTO lesson_state AS ls (user_id, lesson_id, status, seconds, started_at, seen_at)
		VALUES ($1, $2, 1, $4, $3, $3)
		ON CONFLICT (user_id, lesson_id) DO UPDATE SET seconds = ls.seconds + $4`, seconds)
}

func (l *learner) CompleteLesson(ctx context.Context, lessonID string) error {
	return l.lessonWrite(ctx, "complete lesson", lessonID, `
		INSERT INTO lesson_state AS ls (user_id, lesson_id, status, started_at, completed_at, seen_at)
		VALUES ($1, $2, 2, $3, $3, $3)
		ON CONFLICT (user_id, lesson_id) DO UPDATE SET
			status = 2, started_at = coalesce(ls.started_at, $3), completed_at = coalesce(ls.completed_at, $3), seen_at = $3`)
}

func (l *learner) LastPosition(ctx context.Context) (string, int, bool, error) {
	var lessonID string
	var scroll int
	err := l.s.pool.QueryRow(ctx, `
		SELECT ls.lesson_id, ls.scroll FROM lesson_state ls JOIN users u ON u.id = ls.user_id
		WHERE u.name = $1 AND ls.seen_at IS NOT NULL
		ORDER BY ls.seen_at DESC, ls.lesson_id LIMIT 1`, l.name).Scan(&lessonID, &scroll)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return "", 0, false, nil
	case err != nil:
		return "", 0, false, l.wrap(err, "last position")
	}
	return lessonID, scroll, true, nil
}

func (l *learner) due(ctx context.Context, now time.Time, newCap int) ([]progress.Card, error) {
	rows, err := l.s.pool.Query(ctx, `SELECT lesson_id, question_id, `+cardColumns+` FROM cards
		WHERE user_id = (SELECT id FROM users WHERE name = $1) AND due < $2 ORDER BY due`,
		l.name, progress.NextDay(now, now.Location()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var due []progress.Card
	for rows.Next() {
		var lessonID, questionID string
		r, err := scanCard(rows, &lessonID, &questionID)
		if err != nil {
			return nil, err
		}
		due = append(due, progress.Card{LessonID: lessonID, QuestionID: questionID, Card: r.Card, LastRating: r.LastRating})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var introduced int
	if newCap >= 0 {
		if err := l.s.pool.QueryRow(ctx, `SELECT count(*) FROM cards
			WHERE user_id = (SELECT id FROM users WHERE name = $1) AND reps = 2 AND last_day = $2`,
			l.name, progress.Day(now, now.Location())).Scan(&introduced); err != nil {
			return nil, err
		}
	}
	return progress.PickDue(due, introduced, newCap), nil
}

func (l *learner) Due(ctx context.Context, now time.Time, newCap int) ([]progress.Card, error) {
	cards, err := l.due(ctx, now, newCap)
	return cards, l.wrap(err, "due reviews")
}

func (l *learner) DueCount(ctx context.Context, now time.Time, newCap int) (int, error) {
	cards, err := l.due(ctx, now, newCap)
	return len(cards), l.wrap(err, "count due reviews")
}

func (l *learner) Rate(ctx context.Context, lessonID, questionID string, rating fsrs.Rating, now time.Time) error {
	if !rating.Valid() {
		_, _, err := progress.Rerate(l.s.scheduler, progress.CardRecord{}, rating, now, now.Location())
		return fmt.Errorf("rate %s/%s for %q: %w", lessonID, questionID, l.name, err)
	}
	err := l.s.write(ctx, func(tx pgx.Tx) error {
		uid, ok, err := userID(ctx, tx, l.name)
		if err != nil {
			return err
		}
		if !ok {
			return progress.ErrNoCard
		}
		rec, found, err := loadCard(ctx, tx, uid, lessonID, questionID)
		if err != nil {
			return err
		}
		if !found {
			return progress.ErrNoCard
		}
		next, save, err := progress.Rerate(l.s.scheduler, rec, rating, now, now.Location())
		if err != nil || !save {
			return err
		}
		return saveCard(ctx, tx, uid, lessonID, questionID, next)
	})
	if err != nil {
		return fmt.Errorf("rate %s/%s for %q: %w", lessonID, questionID, l.name, err)
	}
	return nil
}

func (l *learner) CardDue(ctx context.Context, lessonID, questionID string) (time.Time, fsrs.Rating, bool, error) {
	rec, err := scanCard(l.s.pool.QueryRow(ctx, `SELECT `+cardColumns+` FROM cards
		WHERE user_id = (SELECT id FROM users WHERE name = $1) AND lesson_id = $2 AND question_id = $3`, l.name, lessonID, questionID))
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, 0, false, nil
	}
	if err != nil {
		return time.Time{}, 0, false, l.wrap(err, "card of %s/%s", lessonID, questionID)
	}
	return rec.Card.Due, rec.LastRating, true, nil
}

func (l *learner) Forecast(ctx context.Context, now time.Time, days int) ([]int, error) {
	if days <= 0 {
		return nil, nil
	}
	ends := progress.ForecastDays(now, days, now.Location())
	rows, err := l.s.pool.Query(ctx, `SELECT due FROM cards
		WHERE user_id = (SELECT id FROM users WHERE name = $1) AND due < $2 ORDER BY due`, l.name, ends[days-1])
	if err != nil {
		return nil, l.wrap(err, "forecast")
	}
	dues, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return nil, l.wrap(err, "forecast")
	}
	return progress.Forecast(dues, ends), nil
}

// forecastDays is how far Stats looks ahead, as in the SQLite store.
const forecastDays = 7

func (l *learner) Stats(ctx context.Context, now time.Time) (progress.Stats, error) {
	st := progress.Stats{User: l.name, Lessons: map[string]progress.LessonStats{}, Forecast: make([]int, forecastDays)}
	uid, ok, err := userID(ctx, l.s.pool, l.name)
	if err != nil || !ok {
		return st, l.wrap(err, "stats")
	}
	if err := lessonStats(ctx, l.s.pool, `WHERE user_id = $1`, []any{uid}, func(_ int64, ls progress.LessonStats) {
		st.Lessons[ls.LessonID] = ls
	}); err != nil {
		return st, l.wrap(err, "stats")
	}
	states, err := l.LessonStates(ctx)
	if err != nil {
		return st, err
	}
	st.AddLessonStates(states)
	rows, err := l.s.pool.Query(ctx, `SELECT DISTINCT day FROM attempts WHERE user_id = $1 AND day <= $2 ORDER BY day DESC`,
		uid, progress.Day(now, now.Location()))
	if err != nil {
		return st, l.wrap(err, "stats")
	}
	days, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return st, l.wrap(err, "stats")
	}
	st.StreakDays, st.PracticedToday = progress.Streak(days, now, now.Location())
	if st.Forecast, err = l.Forecast(ctx, now, forecastDays); err != nil {
		return st, err
	}
	st.DueNow = st.Forecast[0]
	return st, nil
}

// lessonStats aggregates question_stats per (user, lesson), in that order.
func lessonStats(ctx context.Context, q querier, where string, args []any, fn func(uid int64, l progress.LessonStats)) error {
	rows, err := q.Query(ctx, `SELECT user_id, lesson_id, attempts, correct, latest_correct
		FROM question_stats `+where+` ORDER BY user_id, lesson_id, question_id`, args...)
	if err != nil {
		return err
	}
	var cur progress.LessonStats
	var curUser int64
	have := false
	var uid int64
	var lessonID string
	var n, correct int
	var latestRight bool
	_, err = pgx.ForEachRow(rows, []any{&uid, &lessonID, &n, &correct, &latestRight}, func() error {
		if !have || uid != curUser || lessonID != cur.LessonID {
			if have {
				fn(curUser, cur)
			}
			cur, curUser, have = progress.LessonStats{LessonID: lessonID}, uid, true
		}
		cur.Attempts += n
		cur.Correct += correct
		cur.Questions++
		if latestRight {
			cur.Right++
		}
		return nil
	})
	if err != nil {
		return err
	}
	if have {
		fn(curUser, cur)
	}
	return nil
}

func (l *learner) Flag(ctx context.Context, lessonID, questionID, comment string) error {
	comment = strings.TrimSpace(comment)
	if lessonID == "" || questionID == "" {
		return fmt.Errorf("flag for %q: lesson ID %q and question ID %q must both be set", l.name, lessonID, questionID)
	}
	if n := utf8.RuneCountInString(comment); n > progress.MaxCommentLen {
		return fmt.Errorf("flag %s/%s for %q: comment is %d characters, the limit is %d", lessonID, questionID, l.name, n, progress.MaxCommentLen)
	}
	err := l.s.write(ctx, func(tx pgx.Tx) error {
		uid, err := l.s.lockUser(ctx, tx, l.name)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO flags (user_id, lesson_id, question_id, comment, at) VALUES ($1, $2, $3, $4, $5)`,
			uid, lessonID, questionID, comment, msTime(l.s.now()))
		return err
	})
	return l.wrap(err, "flag %s/%s", lessonID, questionID)
}

func (l *learner) CompleteLabTask(ctx context.Context, lessonID, labID, taskID string) error {
	if lessonID == "" || labID == "" || taskID == "" {
		return fmt.Errorf("lab task for %q: lesson %q, lab %q and task %q must all be set", l.name, lessonID, labID, taskID)
	}
	err := l.s.write(ctx, func(tx pgx.Tx) error {
		uid, err := l.s.lockUser(ctx, tx, l.name)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO lab_tasks (user_id, lesson_id, lab_id, task_id, done_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, uid, lessonID, labID, taskID, msTime(l.s.now()))
		return err
	})
	return l.wrap(err, "lab task %s/%s/%s", lessonID, labID, taskID)
}

func (l *learner) LabTasks(ctx context.Context, lessonID, labID string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	rows, err := l.s.pool.Query(ctx, `SELECT t.task_id, t.done_at FROM lab_tasks t JOIN users u ON u.id = t.user_id
		WHERE u.name = $1 AND t.lesson_id = $2 AND t.lab_id = $3`, l.name, lessonID, labID)
	if err != nil {
		return nil, l.wrap(err, "lab tasks %s/%s", lessonID, labID)
	}
	var task string
	var at time.Time
	_, err = pgx.ForEachRow(rows, []any{&task, &at}, func() error {
		out[task] = msTime(at)
		return nil
	})
	return out, l.wrap(err, "lab tasks %s/%s", lessonID, labID)
}

func (l *learner) SaveLabBuild(ctx context.Context, lessonID, labID string, b progress.LabBuild) error {
	b, stages, err := progress.PrepareLabBuild(lessonID, labID, b, l.s.now())
	if err != nil {
		return fmt.Errorf("build lab check for %q: %w", l.name, err)
	}
	err = l.s.write(ctx, func(tx pgx.Tx) error {
		uid, err := l.s.lockUser(ctx, tx, l.name)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO lab_builds (user_id, lesson_id, lab_id, addr, passed, stages, failure, checked_at)
			VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
			ON CONFLICT (user_id, lesson_id, lab_id) DO UPDATE SET addr = excluded.addr, passed = excluded.passed,
				stages = excluded.stages, failure = excluded.failure, checked_at = excluded.checked_at`,
			uid, lessonID, labID, b.Addr, b.Passed, stages, b.Failure, b.CheckedAt)
		return err
	})
	return l.wrap(err, "build lab check %s/%s", lessonID, labID)
}

func (l *learner) LabBuild(ctx context.Context, lessonID, labID string) (progress.LabBuild, bool, error) {
	var b progress.LabBuild
	var stages []byte
	err := l.s.pool.QueryRow(ctx, `SELECT b.addr, b.passed, b.stages::text, b.failure, b.checked_at
		FROM lab_builds b JOIN users u ON u.id = b.user_id
		WHERE u.name = $1 AND b.lesson_id = $2 AND b.lab_id = $3`, l.name, lessonID, labID).Scan(&b.Addr, &b.Passed, &stages, &b.Failure, &b.CheckedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return progress.LabBuild{}, false, nil
	}
	if err != nil {
		return progress.LabBuild{}, false, l.wrap(err, "build lab check %s/%s", lessonID, labID)
	}
	if err := json.Unmarshal(stages, &b.Stages); err != nil {
		return progress.LabBuild{}, false, l.wrap(err, "build lab check %s/%s: its stages are not readable", lessonID, labID)
	}
	b.CheckedAt = msTime(b.CheckedAt)
	return b, true, nil
}
