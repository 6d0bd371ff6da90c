package tui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"
)

// buildPassedTask is the task id a build lab's completion is kept under:
// a build lab is one task, "every stage passes".
const buildPassedTask = "all-stages"

// labTasksMsg brings the tasks of a lab the learner met in earlier visits.
type labTasksMsg struct {
	key  labKey
	done map[string]bool
}

// loadLabTasks reads which tasks of a lab are done already.
func loadLabTasks(sh *shared, k labKey) tea.Cmd {
	store, user := sh.store, sh.user
	return func() tea.Msg {
		got, err := store.LabTasks(context.Background(), user, k.lesson, k.lab)
		if err != nil {
			return errMsg{fmt.Errorf("reading lab progress: %w", err)}
		}
		done := make(map[string]bool, len(got))
		for id := range got {
			done[id] = true
		}
		return labTasksMsg{key: k, done: done}
	}
}

// saveLabTasks keeps tasks the learner just met, so they stay done.
func saveLabTasks(sh *shared, k labKey, tasks ...string) tea.Cmd {
	if len(tasks) == 0 {
		return nil
	}
	store, user := sh.store, sh.user
	return func() tea.Msg {
		for _, t := range tasks {
			if err := store.CompleteLabTask(context.Background(), user, k.lesson, k.lab, t); err != nil {
				return errMsg{fmt.Errorf("saving lab progress: %w", err)}
			}
		}
		return nil
	}
}

// labTitle names a lab screen in the status line.
func labTitle(title, id string) string {
	if title != "" {
		return "Lab · " + title
	}
	return "Lab · " + id
}

// closeLab closes a lab's server or database in a command; what names it
// in the error. A lab not started yet has nothing to close.
func closeLab(what string, started bool, close func() error) tea.Cmd {
	if !started {
		return nil
	}
	return func() tea.Msg {
		if err := close(); err != nil {
			return errMsg{fmt.Errorf("closing the lab %s: %w", what, err)}
		}
		return nil
	}
}
