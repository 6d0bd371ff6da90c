package tui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"serverside/labs"
	"serverside/progress"
)

// BuildRecorder is what recording a build lab check needs from the
// progress store. progress.Store implements it.
type BuildRecorder interface {
	CompleteLabTask(ctx context.Context, user, lessonID, labID, taskID string) error
	SaveLabBuild(ctx context.Context, user, lessonID, labID string, b progress.LabBuild) error
}

// buildStore is a Store that also keeps build lab checks.
type buildStore interface {
	BuildRecorder
	LabBuild(ctx context.Context, user, lessonID, labID string) (progress.LabBuild, bool, error)
}

// RecordBuildCheck keeps a finished check of the build lab block labID of
// lessonID for user: the address and every stage's outcome, and, when
// every stage passed, the lab's one task. The lab screen and `serverside
// check` both record through it, so either shows on the other.
func RecordBuildCheck(ctx context.Context, store BuildRecorder, user, lessonID, labID string, rep labs.Report) error {
	b := progress.LabBuild{Addr: rep.Addr, Passed: rep.Passed}
	for _, st := range rep.Stages {
		b.Stages = append(b.Stages, progress.LabStage{ID: st.ID, Ran: st.Ran, Passed: st.Passed})
	}
	if f := rep.Failed; f != nil && f.Failure != nil {
		b.Failure = fmt.Sprintf("Stage %d failed: %s", f.Index+1, f.Title)
		if f.Rerun {
			b.Failure += fmt.Sprintf(" (broke again after stage %q passed)", f.After)
		}
		b.Failure += "\n\n" + f.Failure.Text()
	}
	if err := store.SaveLabBuild(ctx, user, lessonID, labID, b); err != nil {
		return err
	}
	if rep.Passed {
		return store.CompleteLabTask(ctx, user, lessonID, labID, buildPassedTask)
	}
	return nil
}

// buildLastMsg brings the learner's last check of a build lab.
type buildLastMsg struct {
	key  labKey
	last progress.LabBuild
	ok   bool
}

func loadLastBuild(sh *shared, k labKey) tea.Cmd {
	store, ok := sh.store.(buildStore)
	if !ok {
		return nil
	}
	user := sh.user
	return func() tea.Msg {
		b, found, err := store.LabBuild(context.Background(), user, k.lesson, k.lab)
		if err != nil {
			return errMsg{fmt.Errorf("reading the last check: %w", err)}
		}
		return buildLastMsg{key: k, last: b, ok: found}
	}
}

// saveBuildCheck records a finished check in a command.
func saveBuildCheck(sh *shared, k labKey, rep labs.Report) tea.Cmd {
	if rep.Passed {
		sh.labs.markDone(sh.user, k, buildPassedTask)
	}
	store, ok := sh.store.(buildStore)
	if !ok {
		return saveLabTasksIf(sh, k, rep.Passed)
	}
	user := sh.user
	return func() tea.Msg {
		if err := RecordBuildCheck(context.Background(), store, user, k.lesson, k.lab, rep); err != nil {
			return errMsg{fmt.Errorf("saving the check: %w", err)}
		}
		return nil
	}
}

// saveLabTasksIf keeps a passed build lab where the store keeps no checks.
func saveLabTasksIf(sh *shared, k labKey, passed bool) tea.Cmd {
	if !passed {
		return nil
	}
	return saveLabTasks(sh, k, buildPassedTask)
}

// sinceText says how long ago t was, roughly, for "last checked".
func sinceText(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	default:
		return t.Local().Format("2 Jan 2006")
	}
}
