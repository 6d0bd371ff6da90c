package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"serverside/progress"

	"fmt"
)

// LessonStates returns the user's state of every lesson they have opened,
// keyed by lesson ID. Lessons missing from the map are NotStarted.
func (s *Store) LessonStates(ctx context.Context, user string) (map[string]progress.LessonState, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT ls.lesson_id, ls.status, ls.scroll, ls.started_at, ls.completed_at, ls.seen_at, ls.seconds
		FROM lesson_state ls JOIN users u ON u.id = ls.user_id
		WHERE u.name = ?`, user)
	if err != nil {
		return nil, fmt.Errorf("lesson states of %q: %w", user, err)
	}
	defer rows.Close()
	states := make(map[string]progress.LessonState)
	for rows.Next() {
		var st progress.LessonState
		var started, completed, seen sql.NullInt64
		if err := rows.Scan(&st.LessonID, &st.Status, &st.Scroll, &started, &completed, &seen, &st.Seconds); err != nil {
			return nil, fmt.Errorf("lesson states of %q: %w", user, err)
		}
		st.StartedAt, st.CompletedAt, st.SeenAt = fromNullMS(started), fromNullMS(completed), fromNullMS(seen)
		states[st.LessonID] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lesson states of %q: %w", user, err)
	}
	return states, nil
}

// lessonWrite runs one statement on the user's lesson_state row, creating
// the user and an InProgress row first when needed. The statement gets
// (user_id, lesson_id, now) followed by args.
func (s *Store) lessonWrite(ctx context.Context, what, user, lessonID, query string, args ...any) error {
	if lessonID == "" {
		return fmt.Errorf("%s: lesson ID is empty", what)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		u, err := s.ensureUser(ctx, tx, user)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, query, append([]any{u.ID, lessonID, ms(s.now())}, args...)...)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s %q for %q: %w", what, lessonID, user, err)
	}
	return nil
}

// StartLesson records that the user opened a lesson: NotStarted becomes
// InProgress (a Done lesson stays Done) and SeenAt is now.
func (s *Store) StartLesson(ctx context.Context, user, lessonID string) error {
	return s.lessonWrite(ctx, "start lesson", user, lessonID, `
		INSERT INTO lesson_state (user_id, lesson_id, status, started_at, seen_at)
		VALUES (?1, ?2, 1, ?3, ?3)
		ON CONFLICT (user_id, lesson_id) DO UPDATE SET
			status     = max(status, 1),
			started_at = coalesce(started_at, ?3),
			seen_at    = ?3`)
}

// SaveScroll remembers the reader's scroll offset (and counts as seeing the
// lesson, for resume).
func (s *Store) SaveScroll(ctx context.Context, user, lessonID string, scroll int) error {
	if scroll < 0 {
		scroll = 0
	}
	return s.lessonWrite(ctx, "save scroll", user, lessonID, `
		INSERT INTO lesson_state (user_id, lesson_id, status, scroll, started_at, seen_at)
		VALUES (?1, ?2, 1, ?4, ?3, ?3)
		ON CONFLICT (user_id, lesson_id) DO UPDATE SET
			status     = max(status, 1),
			scroll     = ?4,
			started_at = coalesce(started_at, ?3),
			seen_at    = ?3`, scroll)
}

// AddTime adds seconds of reading time to the lesson. Negative amounts are
// an error.
func (s *Store) AddTime(ctx context.Context, user, lessonID string, seconds int) error {
	if seconds < 0 {
		return fmt.Errorf("add time to %q for %q: %d seconds is negative", lessonID, user, seconds)
	}
	if seconds == 0 {
		return nil
	}
	return s.lessonWrite(ctx, "add time", user, lessonID, `
		INSERT INTO lesson_state (user_id, lesson_id, status, seconds, started_at, seen_at)
		VALUES (?1, ?2, 1, ?4, ?3, ?3)
		ON CONFLICT (user_id, lesson_id) DO UPDATE SET seconds = seconds + ?4`, seconds)
}

// CompleteLesson marks the lesson Done. CompletedAt keeps the first
// completion when a lesson is completed again.
func (s *Store) CompleteLesson(ctx context.Context, user, lessonID string) error {
	return s.lessonWrite(ctx, "complete lesson", user, lessonID, `
		INSERT INTO lesson_state (user_id, lesson_id, status, started_at, completed_at, seen_at)
		VALUES (?1, ?2, 2, ?3, ?3, ?3)
		ON CONFLICT (user_id, lesson_id) DO UPDATE SET
			status       = 2,
			started_at   = coalesce(started_at, ?3),
			completed_at = coalesce(completed_at, ?3),
			seen_at      = ?3`)
}

// LastPosition is where the user was reading last: the lesson they most
// recently opened or scrolled, and the scroll offset. ok is false when they
// have not opened any lesson.
func (s *Store) LastPosition(ctx context.Context, user string) (lessonID string, scroll int, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `
		SELECT ls.lesson_id, ls.scroll FROM lesson_state ls JOIN users u ON u.id = ls.user_id
		WHERE u.name = ? AND ls.seen_at IS NOT NULL
		ORDER BY ls.seen_at DESC, ls.lesson_id LIMIT 1`, user).Scan(&lessonID, &scroll)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", 0, false, nil
	case err != nil:
		return "", 0, false, fmt.Errorf("last position of %q: %w", user, err)
	}
	return lessonID, scroll, true, nil
}
