package cli

import (
	"context"

	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"serverside/progress"
	"serverside/tui"
	"serverside/watch"
)

// tuiStart says which screen the TUI opens on.
type tuiStart struct {
	lesson string
	review bool
}

// tuiMemoryTarget is a soft heap limit for the interactive tutor: a
// terminal program should stay small, and the garbage collector keeps the
// short-lived garbage of rendering near this instead of doubling the heap.
// GOMEMLIMIT in the environment overrides it.
const tuiMemoryTarget = 16 << 20

// gcAfterStart is when the collector, off through start-up, comes on:
// well after the first frame.
const gcAfterStart = 500 * time.Millisecond

func runTUI(ctx context.Context, g *globals, start tuiStart) error {
	gcOn := func() {}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(tuiMemoryTarget)
		pct := debug.SetGCPercent(-1)
		// Start-up allocates the course and the store and keeps both: a
		// collection before the TUI starts would find little to free, so
		// there is none unless the limit is reached.
		gcOn = sync.OnceFunc(func() { debug.SetGCPercent(pct) })
		defer gcOn()
	}
	theme, err := themeFromEnv(g.theme)
	if err != nil {
		return err
	}
	// The terminal's colour profile was found already: lipgloss's package
	// init detects it for os.Stdout (under tmux that runs `tmux info`),
	// and asking again ran tmux a second time on the way to the first
	// frame.
	profile := lipgloss.Writer.Profile
	// The course first: one from --lessons may not load (an empty or wrong
	// folder), and then nothing is created. The built-in one comes parsed
	// (and its load started in Main), so nothing waits on it.
	course, err := g.loadWatched(ctx)
	if err != nil {
		return err
	}
	// One goroutine beside the first frame does what the frame does not
	// wait for, one thing after another: with two of them, on two cores,
	// the frame's own goroutine waited its turn. First what the frame's
	// drawing needs soonest (tui.Warm), then the store (see openingStore).
	opening := newOpeningStore(g.UserName())
	go func() {
		tui.Warm()
		opening.open(ctx, g)
	}()
	// A store that fails to open ends the tutor, and its error is what is
	// said: the same as before the tutor starts.
	tuiCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		if _, err := opening.result(); err != nil {
			stop()
		}
	}()
	// Turning it on now would start a collection at once, beside the
	// first frame (the heap grew past the goal of the 4 MB one): wait.
	time.AfterFunc(gcAfterStart, gcOn)
	runErr := tui.Run(tuiCtx, tui.Options{Course: course, Progress: opening.learner(), Theme: theme,
		Profiles: localProfiles{opening: opening, db: g.DBPath()}, Labs: tui.LocalLabs,
		OpenLesson: start.lesson, Review: start.review, NewPerDay: g.newPerDay,
		ColorProfile: &profile})
	s, err := opening.result()
	if s != nil {
		defer s.Close()
	}
	if err != nil {
		return err
	}
	return runErr
}

// localProfiles are the profiles of this machine's progress database: the
// learner at the terminal may switch between them, and the one chosen last
// is where the next launch starts.
type localProfiles struct {
	opening *openingStore
	db      string
}

func (p localProfiles) Users(ctx context.Context) ([]progress.User, error) {
	if _, err := p.opening.wait(ctx); err != nil {
		return nil, err
	}
	return p.opening.store.Users(ctx)
}

func (p localProfiles) Switch(ctx context.Context, name string) (tui.Progress, error) {
	if _, err := p.opening.wait(ctx); err != nil {
		return nil, err
	}
	store := p.opening.store
	if _, err := store.EnsureUser(ctx, name); err != nil {
		return nil, err
	}
	l, err := store.Learner(name)
	if err != nil {
		return nil, err
	}
	if err := rememberProfile(p.db, name); err != nil {
		return nil, fmt.Errorf("remembering the profile: %w", err)
	}
	return l, nil
}

func newReviewCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "review",
		Short: "Start the tutor on the questions due for review",
		Long: "review opens the tutor on a review session: the questions you have answered before\n" +
			"that spaced repetition says are due today, across every lesson.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(cmd.Context(), g, tuiStart{review: true})
		},
	}
}

// loadWatched loads the course; a course from --lessons is also watched, so
// an author's saves show at once.
func (g *globals) loadWatched(ctx context.Context) (tui.CourseSource, error) {
	if g.lessonsDir == "" {
		c, _, err := g.LoadCourse()
		if err != nil {
			return nil, err
		}
		return tui.StaticCourse(c), nil
	}
	hub, err := watch.Start(ctx, g.lessonsDir, watch.Options{})
	if err != nil {
		return nil, fmt.Errorf("%w\n  pass --lessons a folder of lesson files, or leave it out to use the built-in course", err)
	}
	if first := hub.Current(); first.Err != nil {
		return nil, first.Err
	}
	return hub, nil
}
