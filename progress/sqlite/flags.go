package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"serverside/progress"
	"strings"
	"unicode/utf8"
)

// Flag records that the user thinks a question is wrong or unclear. The
// comment may be empty.
func (s *Store) Flag(ctx context.Context, user, lessonID, questionID, comment string) error {
	comment = strings.TrimSpace(comment)
	if lessonID == "" || questionID == "" {
		return fmt.Errorf("flag for %q: lesson ID %q and question ID %q must both be set", user, lessonID, questionID)
	}
	if n := utf8.RuneCountInString(comment); n > progress.MaxCommentLen {
		return fmt.Errorf("flag %s/%s for %q: comment is %d characters, the limit is %d", lessonID, questionID, user, n, progress.MaxCommentLen)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		u, err := s.ensureUser(ctx, tx, user)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO flags (user_id, lesson_id, question_id, comment, at) VALUES (?, ?, ?, ?, ?)`,
			u.ID, lessonID, questionID, comment, ms(s.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("flag %s/%s for %q: %w", lessonID, questionID, user, err)
	}
	return nil
}

// Flags lists every user's flags, by lesson and question, oldest first.
func (s *Store) Flags(ctx context.Context) ([]progress.Flag, error) {
	flags, err := queryFlags(ctx, s.db, `ORDER BY f.lesson_id, f.question_id, f.at, f.id`)
	if err != nil {
		return nil, fmt.Errorf("list flags: %w", err)
	}
	return flags, nil
}

func queryFlags(ctx context.Context, q querier, where string, args ...any) ([]progress.Flag, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT f.id, u.name, f.lesson_id, f.question_id, f.comment, f.at
		FROM flags f JOIN users u ON u.id = f.user_id `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var flags []progress.Flag
	for rows.Next() {
		var f progress.Flag
		var at int64
		if err := rows.Scan(&f.ID, &f.User, &f.LessonID, &f.QuestionID, &f.Comment, &at); err != nil {
			return nil, err
		}
		f.At = fromMS(at)
		flags = append(flags, f)
	}
	return flags, rows.Err()
}
