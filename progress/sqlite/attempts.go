package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"serverside/progress"
	"time"

	"serverside/fsrs"
)

// ratingFor is RatingFor (rules.go).
func ratingFor(a progress.Attempt) fsrs.Rating { return progress.RatingFor(a) }

// RecordAttempt stores an answer durably and, in the same transaction,
// updates the question's review card. It returns the attempt with ID set
// (and At, when it was zero, set to now; At is kept to the millisecond).
//
// How an answer moves the schedule, so that re-reading a lesson or
// cramming a module cannot wreck it:
//   - the first answer to a question creates its card, rated from the answer
//     (right: Good, right with hints: Hard, wrong: Again);
//   - after that, only the first schedule-changing answer of a (local) day
//     counts: a question is reviewed at most once a day;
//   - an answer to a card that is due reviews it with the derived rating;
//   - a wrong answer to a card that is not due yet is a lapse and reviews it
//     with Again (the learner has shown they forgot, so it comes back soon);
//   - a right answer to a card that is not due yet changes nothing: early
//     right answers (cram, re-reading) do not inflate the interval.
//
// Review=true (an answer given in the Review screen, including a cram
// session over a module) follows the same rules: the flag is recorded for
// the learner's history, not used to schedule. So cramming can bring a
// forgotten card back sooner (a wrong answer) but can never push a card
// further out than its due review would.
//
// Every answer is recorded either way, and counts for stats and the lesson.
func (s *Store) RecordAttempt(ctx context.Context, a progress.Attempt) (progress.Attempt, error) {
	if err := progress.CheckName(a.User); err != nil {
		return a, fmt.Errorf("record attempt: %w", err)
	}
	if a.LessonID == "" || a.QuestionID == "" {
		return a, fmt.Errorf("record attempt for %q: lesson ID %q and question ID %q must both be set", a.User, a.LessonID, a.QuestionID)
	}
	if a.HintsUsed < 0 {
		return a, fmt.Errorf("record attempt for %q on %s/%s: hints used %d is negative", a.User, a.LessonID, a.QuestionID, a.HintsUsed)
	}
	if a.At.IsZero() {
		a.At = s.now()
	}
	// Stored to the millisecond; the zone stays the caller's, so the day
	// recorded is the learner's.
	a.At = time.UnixMilli(a.At.UnixMilli()).In(a.At.Location())

	err := s.write(ctx, func(tx *sql.Tx) error {
		u, err := s.ensureUser(ctx, tx, a.User)
		if err != nil {
			return err
		}
		res, err := s.txExec(ctx, tx, `
			INSERT INTO attempts (user_id, lesson_id, question_id, question_hash, answer, correct, hints_used, at, review, day)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, a.LessonID, a.QuestionID, a.QuestionHash, a.Answer, a.Correct, a.HintsUsed, ms(a.At), a.Review, day(a.At))
		if err != nil {
			return err
		}
		if a.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, questionStatsUpsertSQL,
			u.ID, a.LessonID, a.QuestionID, a.Correct, ms(a.At), a.Correct); err != nil {
			return err
		}
		return s.scheduleAnswer(ctx, tx, u.ID, a)
	})
	if err != nil {
		return a, fmt.Errorf("record attempt for %q on %s/%s: %w", a.User, a.LessonID, a.QuestionID, err)
	}
	return a, nil
}

// scheduleAnswer applies the rules documented on RecordAttempt
// (ScheduleAnswer in rules.go).
func (s *Store) scheduleAnswer(ctx context.Context, tx *sql.Tx, userID int64, a progress.Attempt) error {
	row, found, err := s.loadCard(ctx, tx, userID, a.LessonID, a.QuestionID)
	if err != nil {
		return err
	}
	next, save, err := progress.ScheduleAnswer(s.scheduler, row.record(), found, a, a.At.Location())
	if err != nil || !save {
		return err
	}
	return s.saveCard(ctx, tx, userID, cardRowOf(a.LessonID, a.QuestionID, next))
}

func (r cardRow) record() progress.CardRecord {
	return progress.CardRecord{Card: r.card, LastDay: r.lastDay, LastRating: r.lastRating, Prev: r.prev, CreatedAt: r.createdAt}
}

func cardRowOf(lessonID, questionID string, c progress.CardRecord) cardRow {
	return cardRow{lessonID: lessonID, questionID: questionID, card: c.Card,
		lastDay: c.LastDay, lastRating: c.LastRating, prev: c.Prev, createdAt: c.CreatedAt}
}

// cardRow is a cards row.
type cardRow struct {
	lessonID, questionID string
	card                 fsrs.Card
	lastDay              string
	lastRating           fsrs.Rating
	prev                 string
	createdAt            time.Time
}

const cardColumns = `lesson_id, question_id, state, step, stability, difficulty, due, last_review, reps, lapses, last_day, last_rating, prev, created_at`

type scanner interface{ Scan(dest ...any) error }

func scanCard(sc scanner) (cardRow, error) {
	var r cardRow
	var due, last, created int64
	err := sc.Scan(&r.lessonID, &r.questionID, &r.card.State, &r.card.Step, &r.card.Stability, &r.card.Difficulty,
		&due, &last, &r.card.Reps, &r.card.Lapses, &r.lastDay, &r.lastRating, &r.prev, &created)
	r.card.Due, r.card.LastReview, r.createdAt = fromMS(due), fromMS(last), fromMS(created)
	return r, err
}

func (s *Store) loadCard(ctx context.Context, tx *sql.Tx, userID int64, lessonID, questionID string) (cardRow, bool, error) {
	row, err := s.txQueryRow(ctx, tx, `SELECT `+cardColumns+` FROM cards
		WHERE user_id = ? AND lesson_id = ? AND question_id = ?`, userID, lessonID, questionID)
	if err != nil {
		return cardRow{}, false, err
	}
	r, err := scanCard(row)
	if errors.Is(err, sql.ErrNoRows) {
		return cardRow{lessonID: lessonID, questionID: questionID}, false, nil
	}
	return r, err == nil, err
}

func (s *Store) saveCard(ctx context.Context, tx *sql.Tx, userID int64, r cardRow) error {
	_, err := s.txExec(ctx, tx, `
		INSERT OR REPLACE INTO cards (user_id, `+cardColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		userID, r.lessonID, r.questionID, r.card.State, r.card.Step, r.card.Stability, r.card.Difficulty,
		ms(r.card.Due), ms(r.card.LastReview), r.card.Reps, r.card.Lapses, r.lastDay, r.lastRating, r.prev, ms(r.createdAt))
	return err
}

const latestSQL = `
	SELECT id, question_id, question_hash, answer, correct, hints_used, at, review FROM (
		SELECT a.*, row_number() OVER (PARTITION BY a.question_id ORDER BY a.at DESC, a.id DESC) AS n
		FROM attempts a JOIN users u ON u.id = a.user_id
		WHERE u.name = ? AND a.lesson_id = ? AND a.reset_id IS NULL
	) WHERE n = 1`

// LatestAttempts returns the user's latest attempt at each question of a
// lesson, keyed by question ID, ignoring attempts cleared by a reset.
func (s *Store) LatestAttempts(ctx context.Context, user, lessonID string) (map[string]progress.Attempt, error) {
	rows, err := s.db.QueryContext(ctx, latestSQL, user, lessonID)
	if err != nil {
		return nil, fmt.Errorf("latest attempts of %q on %q: %w", user, lessonID, err)
	}
	defer rows.Close()
	latest := make(map[string]progress.Attempt)
	for rows.Next() {
		a := progress.Attempt{User: user, LessonID: lessonID}
		var at int64
		if err := rows.Scan(&a.ID, &a.QuestionID, &a.QuestionHash, &a.Answer, &a.Correct, &a.HintsUsed, &at, &a.Review); err != nil {
			return nil, fmt.Errorf("latest attempts of %q on %q: %w", user, lessonID, err)
		}
		a.At = fromMS(at)
		latest[a.QuestionID] = a
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("latest attempts of %q on %q: %w", user, lessonID, err)
	}
	return latest, nil
}
