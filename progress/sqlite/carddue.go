package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"serverside/fsrs"
)

// CardDue is when a question's review card is next due and how it was
// last rated, for "next review in 3 days" after an answer. ok is false
// when the question has no card.
func (s *Store) CardDue(ctx context.Context, user, lessonID, questionID string) (due time.Time, rating fsrs.Rating, ok bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		id, found, err := txUserID(ctx, tx, user)
		if err != nil || !found {
			return err
		}
		row, found, err := s.loadCard(ctx, tx, id, lessonID, questionID)
		if err != nil || !found {
			return err
		}
		due, rating, ok = row.card.Due, row.lastRating, true
		return nil
	})
	if err != nil {
		return time.Time{}, 0, false, fmt.Errorf("card of %s/%s for %q: %w", lessonID, questionID, user, err)
	}
	return due, rating, ok, nil
}
