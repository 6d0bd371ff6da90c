package tui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"serverside/labs"
	"serverside/lessons"
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
	store, sc := sh.progress, sh.store
	return func() tea.Msg {
		ctx, cancel := sc.with()
		defer cancel()
		got, err := store.LabTasks(ctx, k.lesson, k.lab)
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
	// The lesson's card counts them at once; the store has them soon.
	sh.labs.markDone(sh.user, k, tasks...)
	store, sc := sh.progress, sh.store
	return func() tea.Msg {
		ctx, cancel := sc.write()
		defer cancel()
		for _, t := range tasks {
			if err := store.CompleteLabTask(ctx, k.lesson, k.lab, t); err != nil {
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

// labMemory is what labs keep for the length of a run. It lives in shared
// and is only touched from Update.
type labMemory struct {
	// addrs is where each HTTP lab listened, so reopening it keeps its
	// address and curl lines elsewhere stay valid.
	addrs map[labKey]string
	// done is each learner's tasks done per lab, as stored, for the cards
	// in a lesson.
	done map[userLab]map[string]bool
	// jars is each HTTP lab's cookie jar, so coming back to the lab
	// finds the learner still logged in.
	jars map[labKey]labs.CookieJar
	// taskIDs caches each lab block's task ids by its text: decoding the
	// YAML is too slow to do each time a card is drawn.
	taskIDs map[string][]string
}

// tasksOf is labTaskIDs, cached.
func (m *labMemory) tasksOf(lab *lessons.Lab) []string {
	if ids, ok := m.taskIDs[lab.Kind+"\x00"+lab.Raw]; ok {
		return ids
	}
	if m.taskIDs == nil || len(m.taskIDs) > 256 {
		m.taskIDs = map[string][]string{}
	}
	ids := labTaskIDs(lab)
	m.taskIDs[lab.Kind+"\x00"+lab.Raw] = ids
	return ids
}

type userLab struct {
	user string
	key  labKey
}

func (m *labMemory) rememberAddr(k labKey, addr string) {
	if m.addrs == nil {
		m.addrs = map[labKey]string{}
	}
	m.addrs[k] = addr
}

func (m *labMemory) keepJar(k labKey, j labs.CookieJar) {
	if m.jars == nil {
		m.jars = map[labKey]labs.CookieJar{}
	}
	m.jars[k] = j
}

func (m *labMemory) markDone(user string, k labKey, tasks ...string) {
	if m.done == nil {
		m.done = map[userLab]map[string]bool{}
	}
	uk := userLab{user, k}
	if m.done[uk] == nil {
		m.done[uk] = map[string]bool{}
	}
	for _, t := range tasks {
		m.done[uk][t] = true
	}
}

// labTaskIDs are the tasks of a lab block, in order: a build lab is one
// task, every stage passing.
func labTaskIDs(lab *lessons.Lab) []string {
	switch lab.Kind {
	case labs.KindSQL:
		spec, err := labs.DecodeSQL(lab)
		if err != nil {
			return nil
		}
		ids := make([]string, len(spec.Tasks))
		for i, t := range spec.Tasks {
			ids[i] = t.ID
		}
		return ids
	case labs.KindHTTP:
		spec, err := labs.DecodeHTTP(lab)
		if err != nil {
			return nil
		}
		if len(spec.Tasks) > 0 {
			return spec.Tasks
		}
		tasks, _ := labs.ScenarioTasks(spec.Scenario)
		ids := make([]string, len(tasks))
		for i, t := range tasks {
			ids[i] = t.ID
		}
		return ids
	case labs.KindBuild:
		return []string{buildPassedTask}
	}
	return nil
}

// labCountsMsg brings the tasks a learner has done in each lab of a lesson.
type labCountsMsg struct {
	user, lesson string
	done         map[string]map[string]time.Time // lab id → task → when
}

// loadLabCounts reads, for a lesson's lab cards, which tasks are done.
func loadLabCounts(sh *shared, l *lessons.Lesson) tea.Cmd {
	if len(l.Labs) == 0 {
		return nil
	}
	store, sc, user, id := sh.progress, sh.store, sh.user, l.ID
	var labIDs []string
	for _, lab := range l.Labs {
		labIDs = append(labIDs, lab.ID)
	}
	return func() tea.Msg {
		ctx, cancel := sc.with()
		defer cancel()
		out := map[string]map[string]time.Time{}
		for _, lab := range labIDs {
			got, err := store.LabTasks(ctx, id, lab)
			if err != nil {
				return errMsg{fmt.Errorf("reading lab progress: %w", err)}
			}
			out[lab] = got
		}
		return labCountsMsg{user: user, lesson: id, done: out}
	}
}

// takeLabCounts keeps counts meant for this lesson and learner; it says
// whether the cards need drawing again.
func (s *lessonScreen) takeLabCounts(msg labCountsMsg) bool {
	if msg.lesson != s.lesson.ID || msg.user != s.sh.user {
		return false
	}
	for lab, tasks := range msg.done {
		for t := range tasks {
			s.sh.labs.markDone(msg.user, labKey{msg.lesson, lab}, t)
		}
	}
	return true
}

// labCardProgress is how far the learner is in a lab, for its card in the
// lesson: "2/5 tasks done", or for a build lab whether it passes.
func labCardProgress(sh *shared, lessonID string, lab *lessons.Lab) string {
	ids := sh.labs.tasksOf(lab)
	if len(ids) == 0 {
		return ""
	}
	done := sh.labs.done[userLab{sh.user, labKey{lessonID, lab.ID}}]
	if lab.Kind == labs.KindBuild {
		if done[buildPassedTask] {
			return "every stage passes"
		}
		return "not passed yet"
	}
	n := 0
	for _, id := range ids {
		if done[id] {
			n++
		}
	}
	if n == len(ids) {
		return fmt.Sprintf("all %d tasks done", n)
	}
	return fmt.Sprintf("%d/%d tasks", n, len(ids))
}
