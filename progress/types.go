package progress

// The values every backend reads and writes: answers, lesson states,
// review cards, flags, lab progress, statistics and the class report.

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"serverside/fsrs"
)

// Attempt is one answer to one question.
type Attempt struct {
	ID           int64
	User         string
	LessonID     string
	QuestionID   string
	QuestionHash string // the question's content hash when answered, to spot stale answers
	Answer       string // the answer as given, encoded by the caller (JSON text)
	Correct      bool
	HintsUsed    int
	At           time.Time
	Review       bool // given in the Review screen rather than in the lesson
}

// LessonStatus is how far a learner has got with a lesson.
type LessonStatus int

const (
	NotStarted LessonStatus = iota
	InProgress
	Done
)

func (s LessonStatus) String() string {
	switch s {
	case NotStarted:
		return "not started"
	case InProgress:
		return "in progress"
	case Done:
		return "done"
	}
	return fmt.Sprintf("LessonStatus(%d)", int(s))
}

// LessonState is a learner's place in one lesson.
type LessonState struct {
	LessonID    string
	Status      LessonStatus
	Scroll      int // the reader's scroll offset, to resume where they left off
	StartedAt   time.Time
	CompletedAt time.Time // first completion; zero until Done
	SeenAt      time.Time // last opened or scrolled
	Seconds     int       // time spent reading
}

// Card is a question's review schedule for one learner.
type Card struct {
	LessonID   string
	QuestionID string
	fsrs.Card
	// LastRating is the rating of the review that last changed the schedule.
	LastRating fsrs.Rating
}

// ErrNoCard is returned by Rate when the question has never been answered.
var ErrNoCard = errors.New("the question has no review card yet: answer it first")

// ErrNothingToUndo is returned by UndoReset when the user has no reset left
// to undo.
var ErrNothingToUndo = errors.New("there is no reset to undo")

// LessonStats sums up one learner's work on one lesson.
type LessonStats struct {
	LessonID  string
	Status    LessonStatus
	Attempts  int // answers given (not counting reset ones)
	Correct   int // of those, right ones
	Questions int // distinct questions answered
	Right     int // questions whose latest answer is right
	Seconds   int // reading time
}

// Accuracy is the share of right answers, 0 when nothing was answered.
func (l LessonStats) Accuracy() float64 { return ratio(l.Correct, l.Attempts) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Stats is one learner's summary.
type Stats struct {
	User    string
	Lessons map[string]LessonStats // by lesson ID: every lesson opened or answered
	// Totals over Lessons.
	Started, Completed                  int
	Attempts, Correct, Questions, Right int
	Seconds                             int
	// StreakDays counts consecutive local days with at least one answer,
	// ending today, or yesterday when nothing was answered yet today. Resets
	// do not erase practice: reset answers still count for the streak.
	StreakDays     int
	PracticedToday bool
	DueNow         int   // cards due by the end of today (no new-card cap)
	Forecast       []int // cards due on each of the next 7 days, today first
}

// AddLessonStates puts each lesson's status and reading time beside its
// answer counts in Lessons, and sums every lesson into the totals: the
// same arithmetic for every backend, after it has read both.
func (s *Stats) AddLessonStates(states map[string]LessonState) {
	for lessonID, ls := range states {
		l := s.Lessons[lessonID]
		l.LessonID, l.Status, l.Seconds = lessonID, ls.Status, ls.Seconds
		s.Lessons[lessonID] = l
	}
	for _, l := range s.Lessons {
		s.Attempts += l.Attempts
		s.Correct += l.Correct
		s.Questions += l.Questions
		s.Right += l.Right
		s.Seconds += l.Seconds
		if l.Status != NotStarted {
			s.Started++
		}
		if l.Status == Done {
			s.Completed++
		}
	}
}

// Accuracy is the share of right answers overall.
func (s Stats) Accuracy() float64 { return ratio(s.Correct, s.Attempts) }

// User is one learner.
type User struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// LabBuild is the last check of a build lab: where it ran and how it went.
type LabBuild struct {
	Addr   string
	Passed bool
	// Stages is each stage's outcome, in order; stages after a failure
	// did not run.
	Stages []LabStage
	// Failure is the failing stage's report, as shown, or "".
	Failure   string
	CheckedAt time.Time
}

// LabStage is one stage's outcome in a LabBuild.
type LabStage struct {
	ID     string `json:"id"`
	Ran    bool   `json:"ran"`
	Passed bool   `json:"passed"`
}

// Bounds of a stored LabBuild: a report longer than this is cut, saying so.
const (
	maxBuildFailure = 16 << 10
	maxBuildAddr    = 256
	maxBuildStages  = 100
)

// PrepareLabBuild checks and bounds a build lab check before any backend
// stores it: a report longer than 16 KiB is cut, saying so; CheckedAt zero
// becomes now. It returns the stages as the JSON text backends store.
func PrepareLabBuild(lessonID, labID string, b LabBuild, now time.Time) (LabBuild, string, error) {
	if lessonID == "" || labID == "" {
		return b, "", fmt.Errorf("lesson %q and lab %q must both be set", lessonID, labID)
	}
	if len(b.Addr) > maxBuildAddr || len(b.Stages) > maxBuildStages {
		return b, "", fmt.Errorf("%s/%s: an address of %d bytes and %d stages is more than a check has", lessonID, labID, len(b.Addr), len(b.Stages))
	}
	if len(b.Failure) > maxBuildFailure {
		b.Failure = strings.ToValidUTF8(b.Failure[:maxBuildFailure], "") + "\n… (cut: the report was longer than 16 KiB)"
	}
	if b.CheckedAt.IsZero() {
		b.CheckedAt = now
	}
	b.CheckedAt = time.UnixMilli(b.CheckedAt.UnixMilli())
	if b.Stages == nil {
		b.Stages = []LabStage{}
	}
	stages, err := json.Marshal(b.Stages)
	return b, string(stages), err
}

// Flag is a learner's note that a question looks wrong.
type Flag struct {
	ID         int64
	User       string
	LessonID   string
	QuestionID string
	Comment    string
	At         time.Time
}

// Report is the class view for an instructor: every user's work per lesson,
// and every flag.
type Report struct {
	Users []UserReport // by name
	Flags []Flag
}

// UserReport is one user's row of the report.
type UserReport struct {
	User    string
	Lessons map[string]LessonStats // by lesson ID; lessons never opened nor answered are missing
	// LabTasks counts the lab tasks done, by lesson ID.
	LabTasks map[string]int
}

// MaxCommentLen bounds a flag's comment, in characters, in every backend
// and in an imported export.
const MaxCommentLen = 2000
