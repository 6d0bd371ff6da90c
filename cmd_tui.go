package main

import (
	"context"

	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"serverside/lessons"
	"serverside/render"
	"serverside/tui"
	"serverside/watch"
)

// tuiStart says which screen the TUI opens on.
type tuiStart struct {
	lesson string
	review bool
}

// themeFlag is --theme; NO_COLOR and TERM=dumb turn colour off whatever it says.
func themeFromEnv(flag string) (render.Theme, error) {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return render.Plain, nil
	}
	t, fixed, err := render.ParseTheme(flag)
	if err != nil || !fixed {
		return "", err
	}
	return t, nil
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
	tui.Warm()
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
	// The course and the store are independent and each takes a good part
	// of start-up: open the store while the course loads.
	type opened struct {
		store store
		err   error
	}
	storeCh := make(chan opened, 1)
	openStore := func() {
		s, err := g.OpenStore(ctx)
		storeCh <- opened{s, err}
	}
	// A course from --lessons may not load (an empty or wrong folder): then
	// nothing is created, so the store waits for it. The built-in one loads.
	early := g.lessonsDir == ""
	if early {
		go openStore()
	}
	// The terminal's colour profile was found already: lipgloss's package
	// init detects it for os.Stdout (under tmux that runs `tmux info`),
	// and asking again ran tmux a second time on the way to the first
	// frame.
	profile := lipgloss.Writer.Profile
	course, updates, err := g.loadWatched(ctx)
	if err != nil && !early {
		return err
	}
	if !early {
		openStore()
	}
	o := <-storeCh
	if o.store != nil {
		defer o.store.Close()
	}
	if err != nil {
		return err
	}
	if o.err != nil {
		return o.err
	}
	store := o.store
	user := g.UserName()
	if _, err := store.EnsureUser(ctx, user); err != nil {
		return fmt.Errorf("progress database %s: %w", store.Path(), err)
	}
	// Turning it on now would start a collection at once, beside the
	// first frame (the heap grew past the goal of the 4 MB one): wait.
	time.AfterFunc(gcAfterStart, gcOn)
	return tui.Run(ctx, tui.Options{Course: course, Store: store, User: user, Theme: theme,
		OpenLesson: start.lesson, Review: start.review, NewPerDay: g.newPerDay, Updates: updates,
		ColorProfile:    &profile,
		RememberProfile: func(name string) error { return rememberProfile(g.DBPath(), name) }})
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
func (g *globals) loadWatched(ctx context.Context) (*lessons.Course, <-chan watch.Update, error) {
	if g.lessonsDir == "" {
		c, _, err := g.LoadCourse()
		return c, nil, err
	}
	first, updates, err := watch.Course(ctx, g.lessonsDir, watch.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("%w\n  pass --lessons a folder of lesson files, or leave it out to use the built-in course", err)
	}
	if first.Err != nil {
		return nil, nil, first.Err
	}
	return first.Course, updates, nil
}
