package tui

import (
	"context"
	"time"

	"github.com/charmbracelet/colorprofile"

	"serverside/fsrs"
	"serverside/lessons"
	"serverside/progress"
	"serverside/render"
	"serverside/watch"
)

// Progress is what the TUI reads and writes of the one learner it serves.
// It is bound to that learner: no call names a learner, so no screen can
// touch another learner's rows. progress.Learner satisfies it; tests pass
// fakes to reach the paths where the store fails.
type Progress interface {
	Name() string
	Record(ctx context.Context, a progress.Attempt) (progress.Attempt, error)
	Latest(ctx context.Context, lessonID string) (map[string]progress.Attempt, error)
	LessonStates(ctx context.Context) (map[string]progress.LessonState, error)
	StartLesson(ctx context.Context, lessonID string) error
	SaveScroll(ctx context.Context, lessonID string, scroll int) error
	AddTime(ctx context.Context, lessonID string, seconds int) error
	CompleteLesson(ctx context.Context, lessonID string) error
	LastPosition(ctx context.Context) (lessonID string, scroll int, ok bool, err error)
	Due(ctx context.Context, now time.Time, newCap int) ([]progress.Card, error)
	Rate(ctx context.Context, lessonID, questionID string, rating fsrs.Rating, now time.Time) error
	CardDue(ctx context.Context, lessonID, questionID string) (due time.Time, rating fsrs.Rating, ok bool, err error)
	Forecast(ctx context.Context, now time.Time, days int) ([]int, error)
	Stats(ctx context.Context, now time.Time) (progress.Stats, error)
	Flag(ctx context.Context, lessonID, questionID, comment string) error
	ResetLesson(ctx context.Context, lessonID string) error
	ResetAll(ctx context.Context) error
	CompleteLabTask(ctx context.Context, lessonID, labID, taskID string) error
	LabTasks(ctx context.Context, lessonID, labID string) (map[string]time.Time, error)
	SaveLabBuild(ctx context.Context, lessonID, labID string, b progress.LabBuild) error
	LabBuild(ctx context.Context, lessonID, labID string) (b progress.LabBuild, ok bool, err error)
}

var _ Progress = progress.Learner(nil)

// Profiles lets the learner at this terminal switch between the profiles
// of one machine. A classroom passes none (Options.Profiles nil): there
// the key is the learner, and the profiles screen does not exist.
type Profiles interface {
	// Users lists the profiles, by name.
	Users(ctx context.Context) ([]progress.User, error)
	// Switch makes name the learner from now on, creating the profile when
	// it is new (and remembering it for the next start, where that makes
	// sense), and returns that learner's progress.
	Switch(ctx context.Context, name string) (Progress, error)
}

// CourseSource brings the course: the one loaded now, and every reload
// after it. *watch.Hub is one (a --lessons folder, watched); StaticCourse
// is a course that never changes. Subscribe may return nil when nothing
// will ever change.
type CourseSource interface {
	Current() watch.Update
	Subscribe(ctx context.Context) <-chan watch.Update
}

// StaticCourse is a course that never changes: the built-in one, or one
// loaded once.
func StaticCourse(c *lessons.Course) CourseSource { return staticCourse{c} }

type staticCourse struct{ c *lessons.Course }

func (s staticCourse) Current() watch.Update { return watch.Update{Course: s.c} }

// Subscribe returns nil: nothing will ever come.
func (s staticCourse) Subscribe(context.Context) <-chan watch.Update { return nil }

// LabPolicy says which kinds of lab run where this TUI runs. The zero
// value runs none (each lab then says why); LocalLabs runs them all.
type LabPolicy struct {
	// SQL runs the SQL lab (a sandboxed database per session).
	SQL bool
	// HTTP runs the HTTP lab's server on this machine's loopback.
	HTTP bool
	// Build runs the build-lab checker against the learner's own service
	// on this machine's loopback. Over SSH that would dial the server's
	// loopback on the learner's behalf, so a classroom turns it off and the
	// lab says to run `serverside check` on the learner's machine.
	Build bool
	// CurlHint shows the HTTP lab's "use your own curl" hint: true only
	// where the learner's terminal is on the machine running the lab.
	CurlHint bool
}

// LocalLabs is the policy of the tutor run on the learner's own machine.
var LocalLabs = LabPolicy{SQL: true, HTTP: true, Build: true, CurlHint: true}

// Class is the instructor's view of a room: who is there and how far they
// are. A classroom passes one to an instructor's session; Options.Class
// nil means the learner is not an instructor.
type Class interface {
	// Snapshot is the class now.
	Snapshot(ctx context.Context) (ClassSnapshot, error)
	// Subscribe returns a channel that receives a value whenever the class
	// changed (an answer arrived, a learner joined or left); it is closed
	// when ctx ends.
	Subscribe(ctx context.Context) <-chan struct{}
}

// ClassSnapshot is the class at one moment.
type ClassSnapshot struct {
	Learners []ClassLearner
	Flags    []progress.Flag
	At       time.Time
}

// ClassLearner is one row of the class view.
type ClassLearner struct {
	Name   string
	Online bool
	// Lesson is the lesson being read now, or read last ("" none).
	Lesson string
	// Done and Started count lessons done and lessons opened.
	Done, Started int
	// LastAnswer is when the learner last answered (zero: never);
	// LastQuestion is "lessonID/questionID", LastRight whether it was right.
	LastAnswer   time.Time
	LastRight    bool
	LastQuestion string
	// LabTasks counts the lab tasks done.
	LabTasks int
}

// Options configure a TUI session.
type Options struct {
	Course   CourseSource
	Progress Progress
	// Profiles, when set, lets the learner switch profiles (p on the map).
	Profiles Profiles
	// Labs says which labs run here.
	Labs LabPolicy
	// Theme fixes the look; empty means ask the terminal (dark when it
	// doesn't answer).
	Theme render.Theme
	// NewPerDay caps how many questions enter review for the first time
	// each day; negative means no cap.
	NewPerDay int
	// Location is the learner's time zone, for "today" in review and
	// stats; nil means the machine's.
	Location *time.Location
	// OpenLesson, when set, opens this lesson at start.
	OpenLesson string
	// Review opens the review screen at start.
	Review bool
	// StatusTTL is how long a status message stays; zero means 4s.
	StatusTTL time.Duration
	// ColorProfile, when set, is the terminal's colour profile, found
	// while the course loaded; nil lets Bubble Tea ask when it starts
	// (under tmux that runs `tmux info`, on the path to the first frame).
	ColorProfile *colorprofile.Profile
	// Renders is the cache of rendered lessons; sessions that share one
	// render a lesson once for all of them. nil: a cache of its own.
	Renders *RenderCache
	// Class, when set, gives this learner the instructor's class view.
	Class Class
	// StoreTimeout bounds each read or write of progress; zero means 10s.
	StoreTimeout time.Duration
}

// defaultStoreTimeout bounds a progress call when Options says nothing: a
// store that does not answer in this long is reported, not waited on.
const defaultStoreTimeout = 10 * time.Second

// storeCall is what a command needs to call the store: the session's
// context and the bound on each call. It is a value, so a command captures
// it rather than the model.
type storeCall struct {
	ctx     context.Context
	timeout time.Duration
}

// with returns a context for reading progress: it ends with the session
// (a learner who left is not read for) or after the timeout.
func (c storeCall) with() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ctx, c.timeout)
}

// write returns a context for saving progress. An answer submitted, a
// place left, a lab task met is saved even when the session ends at that
// moment (the learner's connection dropped, the server is shutting down),
// so it outlives the session's cancellation but not the timeout.
func (c storeCall) write() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(c.ctx), c.timeout)
}

// do reads with a context for one call.
func do[T any](c storeCall, f func(ctx context.Context) (T, error)) (T, error) {
	ctx, cancel := c.with()
	defer cancel()
	return f(ctx)
}

// save runs a write with a context for one call.
func (c storeCall) save(f func(ctx context.Context) error) error {
	ctx, cancel := c.write()
	defer cancel()
	return f(ctx)
}
