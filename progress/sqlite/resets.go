package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"serverside/progress"
)

const lessonStateColumns = `lesson_id, status, scroll, started_at, completed_at, seen_at, seconds`

// ResetLesson clears the user's progress in one lesson: its answers are
// hidden (kept, marked with the reset), its lesson state and review cards
// are moved aside. UndoReset brings them back.
func (s *Store) ResetLesson(ctx context.Context, user, lessonID string) error {
	if lessonID == "" {
		return fmt.Errorf("reset lesson for %q: lesson ID is empty (use ResetAll to reset everything)", user)
	}
	return s.reset(ctx, user, lessonID)
}

// ResetAll clears the user's progress in every lesson, recoverably, like
// ResetLesson.
func (s *Store) ResetAll(ctx context.Context, user string) error {
	return s.reset(ctx, user, "")
}

func (s *Store) reset(ctx context.Context, user, lessonID string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		userID, ok, err := txUserID(ctx, tx, user)
		if err != nil || !ok {
			return err // an unknown user has nothing to reset
		}
		// scope matches the rows of one lesson, or all of them for lessonID "".
		scope := `user_id = ?1 AND (?2 = '' OR lesson_id = ?2)`
		res, err := tx.ExecContext(ctx, `INSERT INTO resets (user_id, lesson_id, at) VALUES (?, ?, ?)`, userID, lessonID, ms(s.now()))
		if err != nil {
			return err
		}
		resetID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		var changed int64
		for _, q := range []string{
			`UPDATE attempts SET reset_id = ?3 WHERE ` + scope + ` AND reset_id IS NULL`,
			`INSERT INTO reset_lesson_state (reset_id, ` + lessonStateColumns + `)
				SELECT ?3, ` + lessonStateColumns + ` FROM lesson_state WHERE ` + scope,
			`DELETE FROM lesson_state WHERE ` + scope,
			`INSERT INTO reset_cards (reset_id, ` + cardColumns + `)
				SELECT ?3, ` + cardColumns + ` FROM cards WHERE ` + scope,
			`DELETE FROM cards WHERE ` + scope,
		} {
			res, err := tx.ExecContext(ctx, q, userID, lessonID, resetID)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			changed += n
		}
		if changed == 0 {
			// Nothing to clear: keep no empty reset, so undo reaches the last real one.
			_, err = tx.ExecContext(ctx, `DELETE FROM resets WHERE id = ?`, resetID)
			return err
		}
		return refreshQuestionStats(ctx, tx, userID, lessonID)
	})
	if err != nil {
		what := "all lessons"
		if lessonID != "" {
			what = "lesson " + lessonID
		}
		return fmt.Errorf("reset %s for %q: %w", what, user, err)
	}
	return nil
}

// UndoReset undoes the user's most recent reset that is not undone yet:
// the answers it hid count again, and the lesson states and cards it moved
// aside are put back as they were, replacing any made since for the same
// lesson or question. Answers given since the reset are kept. Undoing again
// undoes the reset before that. It returns ErrNothingToUndo when there is
// none.
func (s *Store) UndoReset(ctx context.Context, user string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		userID, ok, err := txUserID(ctx, tx, user)
		if err != nil {
			return err
		}
		if !ok {
			return progress.ErrNothingToUndo
		}
		var resetID int64
		var lessonID string
		err = tx.QueryRowContext(ctx, `SELECT id, lesson_id FROM resets WHERE user_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1`,
			userID).Scan(&resetID, &lessonID)
		if errors.Is(err, sql.ErrNoRows) {
			return progress.ErrNothingToUndo
		}
		if err != nil {
			return err
		}
		for _, q := range []string{
			`UPDATE attempts SET reset_id = NULL WHERE reset_id = ?2`,
			`INSERT OR REPLACE INTO lesson_state (user_id, ` + lessonStateColumns + `)
				SELECT ?1, ` + lessonStateColumns + ` FROM reset_lesson_state WHERE reset_id = ?2`,
			`DELETE FROM reset_lesson_state WHERE reset_id = ?2`,
			`INSERT OR REPLACE INTO cards (user_id, ` + cardColumns + `)
				SELECT ?1, ` + cardColumns + ` FROM reset_cards WHERE reset_id = ?2`,
			`DELETE FROM reset_cards WHERE reset_id = ?2`,
			`UPDATE resets SET undone_at = ?3 WHERE id = ?2`,
		} {
			if _, err := tx.ExecContext(ctx, q, userID, resetID, ms(s.now())); err != nil {
				return err
			}
		}
		return refreshQuestionStats(ctx, tx, userID, lessonID)
	})
	if err != nil {
		return fmt.Errorf("undo reset for %q: %w", user, err)
	}
	return nil
}
