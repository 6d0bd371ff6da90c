// Package progress is the contract between the tutor and where a
// learner's progress is kept: the types (Attempt, Card, LessonState, Stats,
// Flag, Report, LabBuild, the export file), a Backend across learners and a
// Learner bound to one, and the pure scheduling rules (rules.go) every
// backend applies. It holds no SQL and imports no database driver: the
// adapters are progress/sqlite and progress/postgres, and
// progress/progresstest is the suite both pass.
package progress

import (
	"context"
	"io"
	"time"

	"serverside/fsrs"
)

// Backend is a progress store as a whole: what an instructor, an import or
// a server needs, across learners. progress/sqlite's Store is one,
// progress/postgres's store for a class another. Every Backend passes the
// conformance suite in progress/progresstest, so the screens and commands
// built on it cannot tell them apart.
type Backend interface {
	// Learner binds the store to one learner. The name is checked
	// (CheckName: not empty, at most 64 characters, NFC, nothing that
	// shows as blank or not at all); the learner is created on the first
	// write, so binding a name reads nothing.
	Learner(name string) (Learner, error)
	// EnsureUser returns the learner called name, creating them when
	// missing (a new profile, a learner joining a class).
	EnsureUser(ctx context.Context, name string) (User, error)
	// Users lists the learners, by name.
	Users(ctx context.Context) ([]User, error)
	// Report is the class view: every learner's work per lesson, and flags.
	Report(ctx context.Context) (Report, error)
	// Flags lists every flagged question, oldest first.
	Flags(ctx context.Context) ([]Flag, error)
	// Import merges an export file, for the learner it names.
	Import(ctx context.Context, r io.Reader) (ImportResult, error)
	// KeyLearner is the learner an SSH public key enrolled as, by the key's
	// fingerprint (as ssh.FingerprintSHA256 writes it); ok is false when the
	// key never enrolled.
	KeyLearner(ctx context.Context, fingerprint string) (name string, ok bool, err error)
	// EnrolKey creates the learner called name and binds the key to them for
	// good. A key enrols once (ErrKeyEnrolled), and a name any learner has
	// already, or one that LooksLike theirs in the class view, is refused
	// (ErrNameTaken), so one key can never take over another learner's rows
	// or pass for them. The check and the insert are one race-safe step.
	// EnsureUser (a local profile) makes no look-alike check.
	EnrolKey(ctx context.Context, fingerprint, name string) (User, error)
	Close() error
}

// Learner is one learner's progress: every call reads or writes that
// learner's rows and no other's, so a screen handed a Learner cannot touch
// another learner's progress by passing a different name.
//
// "Today" (once-a-day scheduling, the new-question cap, the streak, the
// forecast) is the learner's day in the zone of the times passed (now,
// Attempt.At), never the zone of the machine the store runs on: pass times
// in the learner's zone.
type Learner interface {
	// Name is the learner's name.
	Name() string

	// Record stores an answer durably (User is set from the Learner) and
	// moves the question's review schedule by the rules documented on
	// Store.RecordAttempt.
	Record(ctx context.Context, a Attempt) (Attempt, error)
	// Latest is the latest answer to each question of a lesson, by id.
	Latest(ctx context.Context, lessonID string) (map[string]Attempt, error)

	// LessonStates is the state of every lesson opened, by id.
	LessonStates(ctx context.Context) (map[string]LessonState, error)
	StartLesson(ctx context.Context, lessonID string) error
	SaveScroll(ctx context.Context, lessonID string, scroll int) error
	AddTime(ctx context.Context, lessonID string, seconds int) error
	CompleteLesson(ctx context.Context, lessonID string) error
	// LastPosition is the lesson read last and its place; ok is false when
	// no lesson was opened yet.
	LastPosition(ctx context.Context) (lessonID string, scroll int, ok bool, err error)

	Due(ctx context.Context, now time.Time, newCap int) ([]Card, error)
	DueCount(ctx context.Context, now time.Time, newCap int) (int, error)
	Rate(ctx context.Context, lessonID, questionID string, rating fsrs.Rating, now time.Time) error
	// CardDue is when a question's card is next due and how it was last
	// rated; ok is false when the question has no card yet.
	CardDue(ctx context.Context, lessonID, questionID string) (due time.Time, rating fsrs.Rating, ok bool, err error)
	Forecast(ctx context.Context, now time.Time, days int) ([]int, error)
	Stats(ctx context.Context, now time.Time) (Stats, error)

	Flag(ctx context.Context, lessonID, questionID, comment string) error

	ResetLesson(ctx context.Context, lessonID string) error
	ResetAll(ctx context.Context) error
	UndoReset(ctx context.Context) error

	CompleteLabTask(ctx context.Context, lessonID, labID, taskID string) error
	LabTasks(ctx context.Context, lessonID, labID string) (map[string]time.Time, error)
	// SaveLabBuild keeps a build lab's last check, replacing the one before
	// (bounded by PrepareLabBuild); LabBuild reads it back, ok false when
	// the learner never ran one.
	SaveLabBuild(ctx context.Context, lessonID, labID string, b LabBuild) error
	LabBuild(ctx context.Context, lessonID, labID string) (b LabBuild, ok bool, err error)

	// Export writes the learner's progress as a versioned JSON file that
	// Backend.Import reads back.
	Export(ctx context.Context, w io.Writer) error
}
