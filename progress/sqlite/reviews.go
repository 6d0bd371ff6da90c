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

// nextDay is the start of the local day after t's. Review is day-granular:
// a card due at any time today is due all day.
func nextDay(t time.Time) time.Time { return progress.NextDay(t, t.Location()) }

// Due returns the user's cards due for review by the end of now's local
// day, across every lesson: first the cards already reviewed since their
// first answer, most overdue first, then at most newCap cards still waiting
// for their first review, oldest first. Cards that got their first review
// today count against newCap, so the cap is per day. A negative newCap means
// no cap.
func (s *Store) Due(ctx context.Context, user string, now time.Time, newCap int) ([]progress.Card, error) {
	cards, err := s.due(ctx, user, now, newCap)
	if err != nil {
		return nil, fmt.Errorf("due reviews of %q: %w", user, err)
	}
	return cards, nil
}

// DueCount is len(Due(...)) without building the cards.
func (s *Store) DueCount(ctx context.Context, user string, now time.Time, newCap int) (int, error) {
	cards, err := s.due(ctx, user, now, newCap)
	if err != nil {
		return 0, fmt.Errorf("count due reviews of %q: %w", user, err)
	}
	return len(cards), nil
}

const dueQuery = `
	SELECT ` + cardColumns + ` FROM cards
	WHERE user_id = (SELECT id FROM users WHERE name = ?) AND due < ?
	ORDER BY due`

// introducedSQL counts cards that got their first review on a given day.
const introducedSQL = `
	SELECT count(*) FROM cards
	WHERE user_id = (SELECT id FROM users WHERE name = ?) AND reps = 2 AND last_day = ?`

const forecastSQL = `
	SELECT due FROM cards
	WHERE user_id = (SELECT id FROM users WHERE name = ?) AND due < ?
	ORDER BY due`

func (s *Store) due(ctx context.Context, user string, now time.Time, newCap int) ([]progress.Card, error) {
	rows, err := s.db.QueryContext(ctx, dueQuery, user, ms(nextDay(now)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var due []progress.Card
	for rows.Next() {
		r, err := scanCard(rows)
		if err != nil {
			return nil, err
		}
		due = append(due, r.public())
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var introduced int
	if newCap >= 0 {
		err := s.db.QueryRowContext(ctx, introducedSQL, user, day(now)).Scan(&introduced)
		if err != nil {
			return nil, err
		}
	}
	return progress.PickDue(due, introduced, newCap), nil
}

func (r cardRow) public() progress.Card {
	return progress.Card{LessonID: r.lessonID, QuestionID: r.questionID, Card: r.card, LastRating: r.lastRating}
}

// Rate lets the learner grade today's review themselves, typically "Easy"
// after a right answer. When the card's schedule changed today, that review
// is redone with rating instead of the derived one (from the card as it was
// before, at the same review time), so rating twice never compounds. When
// the schedule did not change today (a right answer before the card was
// due), Rate changes nothing, for the same reason that answer did not.
func (s *Store) Rate(ctx context.Context, user, lessonID, questionID string, rating fsrs.Rating, now time.Time) error {
	if !rating.Valid() {
		_, _, err := progress.Rerate(s.scheduler, progress.CardRecord{}, rating, now, now.Location())
		return fmt.Errorf("rate %s/%s for %q: %w", lessonID, questionID, user, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		id, ok, err := txUserID(ctx, tx, user)
		if err != nil {
			return err
		}
		if !ok {
			return progress.ErrNoCard
		}
		row, found, err := s.loadCard(ctx, tx, id, lessonID, questionID)
		if err != nil {
			return err
		}
		if !found {
			return progress.ErrNoCard
		}
		next, save, err := progress.Rerate(s.scheduler, row.record(), rating, now, now.Location())
		if err != nil || !save {
			return err
		}
		return s.saveCard(ctx, tx, id, cardRowOf(lessonID, questionID, next))
	})
	if err != nil {
		return fmt.Errorf("rate %s/%s for %q: %w", lessonID, questionID, user, err)
	}
	return nil
}

func txUserID(ctx context.Context, tx *sql.Tx, name string) (int64, bool, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// Forecast counts the user's cards due on each of the next days local days:
// index 0 is today (overdue cards included), 1 tomorrow, and so on.
func (s *Store) Forecast(ctx context.Context, user string, now time.Time, days int) ([]int, error) {
	if days <= 0 {
		return nil, nil
	}
	ends := progress.ForecastDays(now, days, now.Location())
	rows, err := s.db.QueryContext(ctx, forecastSQL, user, ms(ends[days-1]))
	if err != nil {
		return nil, fmt.Errorf("forecast for %q: %w", user, err)
	}
	defer rows.Close()
	var dues []time.Time
	for rows.Next() {
		var due int64
		if err := rows.Scan(&due); err != nil {
			return nil, fmt.Errorf("forecast for %q: %w", user, err)
		}
		dues = append(dues, fromMS(due))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("forecast for %q: %w", user, err)
	}
	return progress.Forecast(dues, ends), nil
}
