package progress

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"serverside/fsrs"
)

// The export file's layout, for backends other than the SQLite store: the
// same JSON, read and written by every backend, is what moves a learner
// between them.
type (
	ExportFile        = exportFile
	ExportUser        = exportUser
	ExportAttempt     = exportAttempt
	ExportLessonState = exportLessonState
	ExportCard        = exportCard
	ExportFlag        = exportFlag
	ExportLabTask     = exportLabTask
)

// DecodeExport reads and checks an export file (its layout, ids and
// bounds), saying what is wrong with it; every backend's Import starts
// here, and nothing is written anywhere.
func DecodeExport(r io.Reader) (ExportFile, error) {
	var f exportFile
	dec := json.NewDecoder(&boundedReader{r: r, n: maxImportBytes})
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("import: not a serverside progress export (%w); export one with `serverside progress export`", err)
	}
	if err := f.validate(); err != nil {
		return f, fmt.Errorf("import: %w", err)
	}
	if err := f.checkBounds(); err != nil {
		return f, fmt.Errorf("import: %w", err)
	}
	return f, nil
}

// StatusName is a lesson status as the export file spells it.
func StatusName(s LessonStatus) string { return statusNames[s] }

// StatusByName is the lesson status an export file's name stands for.
func StatusByName(name string) (LessonStatus, bool) { return statusByName(name) }

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

// ImportResult says what an import added or changed.
type ImportResult struct {
	User         string
	Attempts     int // answers added (duplicates skipped)
	LessonStates int // lesson states added or merged
	Cards        int // cards added or replaced by a more recently reviewed one
	Flags        int // flags added
	LabTasks     int // lab tasks added, or moved to an earlier first time
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
