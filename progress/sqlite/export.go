package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"serverside/fsrs"
)

// ExportFormat and ExportVersion identify an export file. Import refuses
// other formats and newer versions.
const (
	ExportFormat  = "serverside-progress"
	ExportVersion = 2
)

// exportFile is the JSON layout of an export. Version 2 added lab_tasks;
// version 1 files (without them) still import.
type exportFile struct {
	Format       string              `json:"format"`
	Version      int                 `json:"version"`
	ExportedAt   time.Time           `json:"exported_at"`
	User         exportUser          `json:"user"`
	Attempts     []exportAttempt     `json:"attempts"`
	LessonStates []exportLessonState `json:"lesson_states"`
	Cards        []exportCard        `json:"cards"`
	Flags        []exportFlag        `json:"flags"`
	LabTasks     []exportLabTask     `json:"lab_tasks"`
}

type exportLabTask struct {
	LessonID string    `json:"lesson_id"`
	LabID    string    `json:"lab_id"`
	TaskID   string    `json:"task_id"`
	DoneAt   time.Time `json:"done_at"`
}

type exportUser struct {
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

type exportAttempt struct {
	LessonID     string    `json:"lesson_id"`
	QuestionID   string    `json:"question_id"`
	QuestionHash string    `json:"question_hash"`
	Answer       string    `json:"answer"`
	Correct      bool      `json:"correct"`
	HintsUsed    int       `json:"hints_used"`
	At           time.Time `json:"at"`
	Review       bool      `json:"review"`
}

type exportLessonState struct {
	LessonID    string     `json:"lesson_id"`
	Status      string     `json:"status"`
	Scroll      int        `json:"scroll"`
	StartedAt   *time.Time `json:"started_at,omitempty"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`
	SeenAt      *time.Time `json:"seen_at,omitempty"`
	Seconds     int        `json:"seconds"`
}

type exportCard struct {
	LessonID   string    `json:"lesson_id"`
	QuestionID string    `json:"question_id"`
	State      int       `json:"state"`
	Step       int       `json:"step"`
	Stability  float64   `json:"stability"`
	Difficulty float64   `json:"difficulty"`
	Due        time.Time `json:"due"`
	LastReview time.Time `json:"last_review"`
	Reps       int       `json:"reps"`
	Lapses     int       `json:"lapses"`
	LastDay    string    `json:"last_day"`
	LastRating int       `json:"last_rating"`
	Prev       string    `json:"prev,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

type exportFlag struct {
	LessonID   string    `json:"lesson_id"`
	QuestionID string    `json:"question_id"`
	Comment    string    `json:"comment"`
	At         time.Time `json:"at"`
}

var statusNames = map[LessonStatus]string{NotStarted: "not_started", InProgress: "in_progress", Done: "done"}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// Export writes the user's progress as JSON (format "serverside-progress",
// version 1): the user, answers not cleared by a reset, lesson states,
// review cards and flags. Times are UTC, to the millisecond.
func (s *Store) Export(ctx context.Context, user string, w io.Writer) error {
	f, err := s.export(ctx, user)
	if err != nil {
		return fmt.Errorf("export %q: %w", user, err)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("export %q: write: %w", user, err)
	}
	return nil
}

func (s *Store) export(ctx context.Context, user string) (exportFile, error) {
	f := exportFile{Format: ExportFormat, Version: ExportVersion, ExportedAt: s.now().UTC().Truncate(time.Millisecond),
		Attempts: []exportAttempt{}, LessonStates: []exportLessonState{}, Cards: []exportCard{}, Flags: []exportFlag{}, LabTasks: []exportLabTask{}}
	// One read transaction for a consistent snapshot.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return f, err
	}
	defer func() { _ = tx.Rollback() }()
	var userID, created int64
	err = tx.QueryRowContext(ctx, `SELECT id, created_at FROM users WHERE name = ?`, user).Scan(&userID, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("there is no user %q in %s", user, s.path)
	}
	if err != nil {
		return f, err
	}
	f.User = exportUser{Name: user, CreatedAt: fromMS(created).UTC()}

	err = eachRow(ctx, tx, `SELECT lesson_id, question_id, question_hash, answer, correct, hints_used, at, review
		FROM attempts WHERE user_id = ? AND reset_id IS NULL ORDER BY at, id`, []any{userID}, func(sc scanner) error {
		var a exportAttempt
		var at int64
		if err := sc.Scan(&a.LessonID, &a.QuestionID, &a.QuestionHash, &a.Answer, &a.Correct, &a.HintsUsed, &at, &a.Review); err != nil {
			return err
		}
		a.At = fromMS(at).UTC()
		f.Attempts = append(f.Attempts, a)
		return nil
	})
	if err != nil {
		return f, err
	}
	err = eachRow(ctx, tx, `SELECT `+lessonStateColumns+` FROM lesson_state WHERE user_id = ? ORDER BY lesson_id`,
		[]any{userID}, func(sc scanner) error {
			var l exportLessonState
			var status LessonStatus
			var started, completed, seen sql.NullInt64
			if err := sc.Scan(&l.LessonID, &status, &l.Scroll, &started, &completed, &seen, &l.Seconds); err != nil {
				return err
			}
			l.Status = statusNames[status]
			l.StartedAt, l.CompletedAt, l.SeenAt = optTime(fromNullMS(started)), optTime(fromNullMS(completed)), optTime(fromNullMS(seen))
			f.LessonStates = append(f.LessonStates, l)
			return nil
		})
	if err != nil {
		return f, err
	}
	err = eachRow(ctx, tx, `SELECT `+cardColumns+` FROM cards WHERE user_id = ? ORDER BY lesson_id, question_id`,
		[]any{userID}, func(sc scanner) error {
			r, err := scanCard(sc)
			if err != nil {
				return err
			}
			f.Cards = append(f.Cards, exportCard{
				LessonID: r.lessonID, QuestionID: r.questionID, State: int(r.card.State), Step: r.card.Step,
				Stability: r.card.Stability, Difficulty: r.card.Difficulty, Due: r.card.Due.UTC(), LastReview: r.card.LastReview.UTC(),
				Reps: r.card.Reps, Lapses: r.card.Lapses, LastDay: r.lastDay, LastRating: int(r.lastRating), Prev: r.prev,
				CreatedAt: r.createdAt.UTC(),
			})
			return nil
		})
	if err != nil {
		return f, err
	}
	err = eachRow(ctx, tx, `SELECT lesson_id, question_id, comment, at FROM flags WHERE user_id = ? ORDER BY at, id`,
		[]any{userID}, func(sc scanner) error {
			var fl exportFlag
			var at int64
			if err := sc.Scan(&fl.LessonID, &fl.QuestionID, &fl.Comment, &at); err != nil {
				return err
			}
			fl.At = fromMS(at).UTC()
			f.Flags = append(f.Flags, fl)
			return nil
		})
	if err != nil {
		return f, err
	}
	err = eachRow(ctx, tx, `SELECT lesson_id, lab_id, task_id, done_at FROM lab_tasks WHERE user_id = ? ORDER BY done_at, lesson_id, lab_id, task_id`,
		[]any{userID}, func(sc scanner) error {
			var lt exportLabTask
			var at int64
			if err := sc.Scan(&lt.LessonID, &lt.LabID, &lt.TaskID, &at); err != nil {
				return err
			}
			lt.DoneAt = fromMS(at).UTC()
			f.LabTasks = append(f.LabTasks, lt)
			return nil
		})
	return f, err
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func eachRow(ctx context.Context, q querier, query string, args []any, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ImportResult says what an import added or changed.
type ImportResult struct {
	User         string
	Attempts     int // answers added (duplicates skipped)
	LessonStates int // lesson states added or merged
	Cards        int // cards added or replaced by a more recently reviewed one
	Flags        int // flags added
	LabTasks     int // lab tasks added, or moved to an earlier first time
}

// Import merges an export file into the database, for the user named in the
// file (created when missing). It is idempotent: importing the same file
// twice adds nothing the second time. Answers are the same when user, lesson,
// question, time and answer match (a reset answer counts, so importing an
// old export does not undo a reset's hiding of it). Lesson states merge
// field by field (furthest status, earliest start and completion, latest
// visit and its scroll, the larger reading time); a card is replaced only by
// one reviewed more recently; flags dedupe like answers. Everything is one
// transaction: a bad file changes nothing.
func (s *Store) Import(ctx context.Context, r io.Reader) (ImportResult, error) {
	f, err := DecodeExport(r)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{User: f.User.Name}
	err = s.write(ctx, func(tx *sql.Tx) error {
		res = ImportResult{User: f.User.Name}
		return s.importFile(ctx, tx, f, &res)
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import progress of %q: %w", f.User.Name, err)
	}
	return res, nil
}

func (f exportFile) validate() error {
	switch {
	case f.Format != ExportFormat:
		return fmt.Errorf("format is %q, want %q: this is not a serverside progress export", f.Format, ExportFormat)
	case f.Version < 1:
		return fmt.Errorf("version %d is not valid", f.Version)
	case f.Version > ExportVersion:
		return fmt.Errorf("version %d was written by a newer serverside (this one reads up to %d): upgrade serverside", f.Version, ExportVersion)
	}
	if err := checkName(f.User.Name); err != nil {
		return fmt.Errorf("user: %w", err)
	}
	for i, a := range f.Attempts {
		if a.LessonID == "" || a.QuestionID == "" || a.At.IsZero() || a.HintsUsed < 0 {
			return fmt.Errorf("attempts[%d]: needs lesson_id, question_id, at, and hints_used >= 0", i)
		}
	}
	for i, l := range f.LessonStates {
		if l.LessonID == "" {
			return fmt.Errorf("lesson_states[%d]: lesson_id is empty", i)
		}
		if _, ok := statusByName(l.Status); !ok {
			return fmt.Errorf("lesson_states[%d]: status %q is not not_started, in_progress or done", i, l.Status)
		}
	}
	for i, c := range f.Cards {
		if c.LessonID == "" || c.QuestionID == "" || c.State < int(fsrs.New) || c.State > int(fsrs.Relearning) ||
			c.Stability <= 0 || c.Difficulty < 1 || c.Difficulty > 10 || !fsrs.Rating(c.LastRating).Valid() {
			return fmt.Errorf("cards[%d]: needs lesson_id, question_id, state 0-3, stability > 0, difficulty 1-10, last_rating 1-4", i)
		}
	}
	for i, fl := range f.Flags {
		if fl.LessonID == "" || fl.QuestionID == "" || fl.At.IsZero() {
			return fmt.Errorf("flags[%d]: needs lesson_id, question_id and at", i)
		}
	}
	for i, lt := range f.LabTasks {
		if lt.LessonID == "" || lt.LabID == "" || lt.TaskID == "" || lt.DoneAt.IsZero() {
			return fmt.Errorf("lab_tasks[%d]: needs lesson_id, lab_id, task_id and done_at", i)
		}
	}
	return f.checkIDs()
}

func statusByName(name string) (LessonStatus, bool) {
	for st, n := range statusNames {
		if n == name {
			return st, true
		}
	}
	return 0, false
}

func (s *Store) importFile(ctx context.Context, tx *sql.Tx, f exportFile, res *ImportResult) error {
	u, err := s.ensureUser(ctx, tx, f.User.Name)
	if err != nil {
		return err
	}
	if !f.User.CreatedAt.IsZero() {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET created_at = min(created_at, ?) WHERE id = ?`,
			ms(f.User.CreatedAt), u.ID); err != nil {
			return err
		}
	}
	count := func(r sql.Result, n *int) error {
		k, err := r.RowsAffected()
		*n += int(k)
		return err
	}
	for _, a := range f.Attempts {
		r, err := tx.ExecContext(ctx, `
			INSERT INTO attempts (user_id, lesson_id, question_id, question_hash, answer, correct, hints_used, at, review, day)
			SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
			WHERE NOT EXISTS (SELECT 1 FROM attempts
				WHERE user_id = ?1 AND lesson_id = ?2 AND question_id = ?3 AND at = ?8 AND answer = ?5)`,
			u.ID, a.LessonID, a.QuestionID, a.QuestionHash, a.Answer, a.Correct, a.HintsUsed, ms(a.At), a.Review, day(a.At))
		if err != nil {
			return err
		}
		if err := count(r, &res.Attempts); err != nil {
			return err
		}
	}
	if res.Attempts > 0 {
		if err := refreshQuestionStats(ctx, tx, u.ID, ""); err != nil {
			return err
		}
	}
	for _, l := range f.LessonStates {
		status, _ := statusByName(l.Status)
		r, err := tx.ExecContext(ctx, `
			INSERT INTO lesson_state (user_id, lesson_id, status, scroll, started_at, completed_at, seen_at, seconds)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
			ON CONFLICT (user_id, lesson_id) DO UPDATE SET
				status       = max(status, excluded.status),
				scroll       = CASE WHEN coalesce(excluded.seen_at, 0) > coalesce(seen_at, 0) THEN excluded.scroll ELSE scroll END,
				started_at   = coalesce(min(started_at, excluded.started_at), started_at, excluded.started_at),
				completed_at = coalesce(min(completed_at, excluded.completed_at), completed_at, excluded.completed_at),
				seen_at      = coalesce(max(seen_at, excluded.seen_at), seen_at, excluded.seen_at),
				seconds      = max(seconds, excluded.seconds)
			WHERE status < excluded.status
			   OR coalesce(excluded.seen_at, 0) > coalesce(seen_at, 0)
			   OR coalesce(excluded.started_at, 1e18) < coalesce(started_at, 1e18)
			   OR coalesce(excluded.completed_at, 1e18) < coalesce(completed_at, 1e18)
			   OR excluded.seconds > seconds`,
			u.ID, l.LessonID, status, l.Scroll, nullTimePtr(l.StartedAt), nullTimePtr(l.CompletedAt), nullTimePtr(l.SeenAt), l.Seconds)
		if err != nil {
			return err
		}
		if err := count(r, &res.LessonStates); err != nil {
			return err
		}
	}
	for _, c := range f.Cards {
		r, err := tx.ExecContext(ctx, `
			INSERT INTO cards (user_id, `+cardColumns+`)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
			ON CONFLICT (user_id, lesson_id, question_id) DO UPDATE SET
				state = excluded.state, step = excluded.step, stability = excluded.stability,
				difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review,
				reps = excluded.reps, lapses = excluded.lapses, last_day = excluded.last_day,
				last_rating = excluded.last_rating, prev = excluded.prev,
				created_at = min(created_at, excluded.created_at)
			WHERE excluded.last_review > last_review`,
			u.ID, c.LessonID, c.QuestionID, c.State, c.Step, c.Stability, c.Difficulty, ms(c.Due), ms(c.LastReview),
			c.Reps, c.Lapses, c.LastDay, c.LastRating, c.Prev, ms(c.CreatedAt))
		if err != nil {
			return err
		}
		if err := count(r, &res.Cards); err != nil {
			return err
		}
	}
	for _, fl := range f.Flags {
		r, err := tx.ExecContext(ctx, `
			INSERT INTO flags (user_id, lesson_id, question_id, comment, at)
			SELECT ?1, ?2, ?3, ?4, ?5
			WHERE NOT EXISTS (SELECT 1 FROM flags
				WHERE user_id = ?1 AND lesson_id = ?2 AND question_id = ?3 AND at = ?5 AND comment = ?4)`,
			u.ID, fl.LessonID, fl.QuestionID, fl.Comment, ms(fl.At))
		if err != nil {
			return err
		}
		if err := count(r, &res.Flags); err != nil {
			return err
		}
	}
	for _, lt := range f.LabTasks {
		// A task is done once: keep the earliest time it was met.
		r, err := tx.ExecContext(ctx, `
			INSERT INTO lab_tasks (user_id, lesson_id, lab_id, task_id, done_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, lesson_id, lab_id, task_id) DO UPDATE SET done_at = excluded.done_at
			WHERE excluded.done_at < lab_tasks.done_at`,
			u.ID, lt.LessonID, lt.LabID, lt.TaskID, ms(lt.DoneAt))
		if err != nil {
			return err
		}
		if err := count(r, &res.LabTasks); err != nil {
			return err
		}
	}
	return nil
}

func nullTimePtr(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return nullMS(*t)
}
