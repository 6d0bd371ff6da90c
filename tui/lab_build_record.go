package tui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"serverside/labs"
	"serverside/progress"
)

// BuildRecorder is what recording a build lab check needs of one
// learner's progress. progress.Learner is one.
type BuildRecorder interface {
	CompleteLabTask(ctx context.Context, lessonID, labID, taskID string) error
	SaveLabBuild(ctx context.Context, lessonID, labID string, b progress.LabBuild) error
}

// RecordBuildCheck keeps a finished check of the build lab block labID of
// lessonID for the learner: the address and every stage's outcome, and, when
// every stage passed, the lab's one task. The lab screen and `serverside
// check` both record through it, so either shows on the other.
func RecordBuildCheck(ctx context.Context, store BuildRecorder, lessonID, labID string, rep labs.Report) error {
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
	if err := store.SaveLabBuild(ctx, lessonID, labID, b); err != nil {
		return err
	}
	if rep.Passed {
		return store.CompleteLabTask(ctx, lessonID, labID, buildPassedTask)
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
	store, sc := sh.progress, sh.store
	return func() tea.Msg {
		ctx, cancel := sc.with()
		defer cancel()
		b, found, err := store.LabBuild(ctx, k.lesson, k.lab)
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
	store, sc := sh.progress, sh.store
	return func() tea.Msg {
		if err := sc.save(func(ctx context.Context) error { return RecordBuildCheck(ctx, store, k.lesson, k.lab, rep) }); err != nil {
			return errMsg{fmt.Errorf("saving the check: %w", err)}
		}
		return nil
	}
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
