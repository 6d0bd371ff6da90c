// Package tui is serverside's terminal interface: the course map, the lesson
// reader, quizzes and the other screens. It is the only package that
// imports Bubble Tea. One root Model owns which screen is active; each
// screen is a value in its own file.
package tui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
	"serverside/progress"
	"serverside/render"
	"serverside/search"
	"serverside/termsafe"
	"serverside/watch"
)

// screen is one full-screen view. Screens are values: Update returns the
// new value. Only the root switches screens, in answer to messages.
// Every method is declared here, so a screen that lacks one (or misspells
// it) does not compile, rather than silently losing a behaviour.
type screen interface {
	Update(tea.Msg) (screen, tea.Cmd)
	View() string
	SetSize(w, h int) screen
	Keys() help.KeyMap
	// Title names the screen in the status line.
	Title() string
	// init starts the work a freshly opened screen needs (reads, renders).
	init() tea.Cmd
	// Typing reports a focused text field: printable keys such as '?' and
	// 'q' then go to it rather than to the root.
	Typing() bool
	// onQuit saves or closes what the screen holds (the place in a lesson,
	// an open lab) when the tutor quits with it open.
	onQuit() tea.Cmd
	// refresh rebuilds what depends on the theme or the size.
	refresh() tea.Cmd
	// Position is shown at the right of the status line ("" none).
	Position() string
}

// push opens s on top of the stack at the body's size and starts it.
func (m Model) push(s screen) (Model, tea.Cmd) {
	s = s.SetSize(m.bodySize())
	m.stack = append(m.stack, s)
	m.showAllHelp(false)
	return m, s.init()
}

// shared is what every screen reads: the course, the store and the look.
// It is only changed by the root's Update.
type shared struct {
	course *lessons.Course
	// progress is the learner's progress; user is their name, for the
	// status line and for what the labs remember per learner.
	progress Progress
	user     string
	profiles Profiles
	labPol   LabPolicy
	class    Class
	loc      *time.Location
	// store is the session's context and the bound on each progress call.
	store   storeCall
	theme   render.Theme
	styles  Styles
	renders *RenderCache
	cards   map[cardKey]string // drawn question cards, made when first needed
	index   *search.Index      // the course search's index, built when first needed
	// states is the user's lesson states, refreshed after changes.
	states map[string]progress.LessonState
	// due is how many reviews are due now; last where the learner was.
	due       int
	dueBy     map[string]int // reviews due now, by lesson
	loaded    bool           // states have been read at least once
	newPerDay int
	statusTTL time.Duration
	last      string
	lastAt    int
	// labs is what the labs remember this run (lab_progress.go).
	labs labMemory
	// requests are screen switches asked during the current Update.
	requests []tea.Msg
	// frame is what the last frames drew that the next one may reuse.
	frame frameCache
}

// Model is the root model.
type Model struct {
	sh     *shared
	stack  []screen
	width  int
	height int
	// help is shared by copies of the model and never changed in place:
	// editHelp gives a copy to change. The model is copied several times
	// on every key, and help.Model, with its styles, was most of its size.
	help      *help.Model
	keys      globalKeys
	status    string
	statusErr bool
	fixTheme  bool
	quitting  bool
	// startReview opens the review screen once the program starts.
	startReview bool
	// loading is true while a screen's data is on its way (review); input
	// typed meanwhile waits in queued for it.
	loading bool
	queued  []tea.Msg
	updates <-chan watch.Update
}

// Messages between screens and the root.
type (
	openLessonMsg struct {
		id     string
		scroll int // -1: where the learner left off
		// query, when set, starts a search in the lesson and shows its
		// first match.
		query string
		// peek is a look at a linked lesson: it does not start the lesson
		// nor make it the one to continue unless the learner reads on.
		peek bool
	}
	openQuizMsg struct {
		lessonID string
		from     int // index of the first question to ask
		// card: asked from its card in the text, the quiz asks that one
		// question and then goes back to the text (n asks the next).
		card bool
	}
	backMsg   struct{}
	statesMsg struct {
		states map[string]progress.LessonState
		due    int
		dueBy  map[string]int // reviews due by lesson ID
		last   string
		lastAt int
	}
	openReviewMsg struct{}
	openStatsMsg  struct{}
	openUsersMsg  struct{}
	openClassMsg  struct{}
	openCramMsg   struct{ module string }
	// openLabMsg opens a lab block of a lesson (see newLabScreen).
	openLabMsg   struct{ lessonID, labID string }
	resetDoneMsg struct{ text string }
	reviewMsg    struct {
		cards []progress.Card
		next  int // days until the next review falls due (0 today), -1 none within a year
		err   error
	}
	statusMsg     struct{ text string }
	errMsg        struct{ err error }
	clearStatMsg  struct{ at time.Time }
	lessonDoneMsg struct{ id string }
)

// New builds the root model for one learner's session. ctx is the
// session's: when it ends, reads and writes of progress still under way
// are cancelled and the course stops reloading.
func New(ctx context.Context, o Options) Model {
	theme := o.Theme
	if theme == "" {
		theme = render.Dark
	}
	// Subscribe before reading the course, so a reload in between arrives
	// (see watch.Hub.Subscribe).
	var updates <-chan watch.Update
	var current watch.Update
	if o.Course != nil {
		updates = o.Course.Subscribe(ctx)
		current = o.Course.Current()
	}
	course := current.Course
	if course == nil {
		// The folder is unreadable right now (an author mid-save): start
		// empty and say why; the next good reload fills the map.
		course = &lessons.Course{}
	}
	renders := o.Renders
	if renders == nil {
		renders = NewRenderCache()
	}
	name := ""
	if o.Progress != nil {
		name = o.Progress.Name()
	}
	sh := &shared{
		course:    course,
		progress:  o.Progress,
		user:      name,
		profiles:  o.Profiles,
		labPol:    o.Labs,
		class:     o.Class,
		loc:       cmp.Or(o.Location, time.Local),
		store:     storeCall{ctx: ctx, timeout: cmp.Or(o.StoreTimeout, defaultStoreTimeout)},
		theme:     theme,
		styles:    NewStyles(theme),
		renders:   renders,
		states:    map[string]progress.LessonState{},
		newPerDay: o.NewPerDay,
		statusTTL: cmp.Or(o.StatusTTL, statusTTL),
	}
	h := help.New()
	m := Model{sh: sh, help: &h, keys: newGlobalKeys(), fixTheme: o.Theme != "", startReview: o.Review, updates: updates}
	if current.Err != nil {
		m.status, m.statusErr = "course folder: "+current.Err.Error(), true
	}
	h.Styles = sh.styles.Help
	m.stack = []screen{newMapScreen(sh)}
	if o.OpenLesson != "" && sh.course.Lesson(o.OpenLesson) != nil {
		m.stack = append(m.stack, newLessonScreen(sh, sh.course.Lesson(o.OpenLesson), -1))
	}
	return m
}

// Init loads progress and asks the terminal for its background colour.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{loadStates(m.sh), waitForUpdate(m.updates)}
	if m.startReview {
		cmds = append(cmds, func() tea.Msg { return openReviewMsg{} })
	}
	if !m.fixTheme {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if l, ok := m.top().(lessonScreen); ok {
		cmds = append(cmds, l.init())
	}
	return tea.Batch(cmds...)
}

func (m Model) top() screen { return m.stack[len(m.stack)-1] }

// editHelp is the help footer's model to change, a copy of the one the
// model's earlier copies share.
func (m *Model) editHelp() *help.Model {
	h := *m.help
	m.help = &h
	return m.help
}

// showAllHelp shows the full help (or the short one), copying the help's
// model only when that changes it.
func (m *Model) showAllHelp(all bool) {
	if m.help.ShowAll != all {
		m.editHelp().ShowAll = all
	}
}

// prefetchMsg asks for a lesson to be rendered ahead of being opened.
type prefetchMsg struct{ lessonID string }

// likelyNext is the lesson the learner will most likely open next: the
// one to continue from the map, the next one from a lesson ("" none).
func (m Model) likelyNext() string {
	switch top := m.top().(type) {
	case mapScreen:
		if m.sh.last != "" {
			return m.sh.last
		}
		if l := top.selected(); l != nil {
			return l.ID
		}
	case lessonScreen:
		if next := m.sh.course.Next(top.lesson.ID); next != nil {
			return next.ID
		}
	}
	return ""
}

// prefetchDelay holds a prefetch back until the frame it follows is drawn:
// on two cores the render ran beside the first frame and delayed it.
const prefetchDelay = 100 * time.Millisecond

// prefetchLater asks for lesson id to be rendered ahead of being opened,
// after prefetchDelay. Nothing of it is done before then: even building
// the lesson's screen to look in the render cache allocated ~160 KB on
// the way to the first frame.
func prefetchLater(id string) tea.Cmd {
	if id == "" {
		return nil
	}
	return tea.Tick(prefetchDelay, func(time.Time) tea.Msg { return prefetchMsg{id} })
}

// prefetch renders a lesson at the size it would open with, so opening it
// is instant. It does nothing when the render is cached already.
func (m Model) prefetch(id string) tea.Cmd {
	l := m.sh.course.Lesson(id)
	if l == nil || m.width == 0 {
		return nil
	}
	s := newLessonScreen(m.sh, l, 0).SetSize(m.bodySize()).(lessonScreen)
	if _, ok := m.sh.renders.get(s.want); ok {
		return nil
	}
	return s.renderCmd()
}

// reloadMsg carries a course reloaded from disk.
type reloadMsg struct{ update watch.Update }

func waitForUpdate(ch <-chan watch.Update) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		u, ok := <-ch
		if !ok {
			return nil
		}
		return reloadMsg{u}
	}
}

// applyReload puts a reloaded course in place: the map is rebuilt, and an
// open lesson whose file changed is shown again at the same position.
func (m Model) applyReload(u watch.Update) (Model, tea.Cmd) {
	cmds := []tea.Cmd{waitForUpdate(m.updates)}
	if u.Err != nil {
		m.status, m.statusErr = "course folder: "+u.Err.Error(), true
		return m, tea.Batch(cmds...)
	}
	m.sh.course = u.Course
	m.stack[0] = m.stack[0].(mapScreen).withCourse()
	for i, sc := range m.stack {
		ls, ok := sc.(lessonScreen)
		if !ok {
			continue
		}
		l := u.Course.Lesson(ls.lesson.ID)
		if l == nil {
			continue
		}
		if l.Source == ls.lesson.Source {
			ls.lesson = l // same text; maybe now marked stale
			m.stack[i] = ls
			continue
		}
		var cmd tea.Cmd
		ls, cmd = ls.reload(l)
		m.stack[i] = ls
		cmds = append(cmds, cmd)
	}
	errs := 0
	for _, p := range u.Problems {
		if p.Severity == lessons.Error {
			errs++
		}
	}
	// One short line that goes away: the problems themselves are for
	// `serverside lint` (and the broken-lesson screen), not a status line
	// that would nag until the next reload.
	if errs > 0 {
		m.status, m.statusErr = fmt.Sprintf("course reloaded: %d error(s); run serverside lint", errs), false
	} else {
		m.status, m.statusErr = "course reloaded", false
	}
	cmds = append(cmds, m.clearStatusLater())
	return m, tea.Batch(cmds...)
}

// now is the time in the learner's zone: "today" for review and stats is
// the learner's day, not the server's.
func (sh *shared) now() time.Time { return time.Now().In(sh.loc) }

func loadStates(sh *shared) tea.Cmd {
	store, sc, cap, now := sh.progress, sh.store, sh.newPerDay, sh.now()
	return func() tea.Msg {
		ctx, cancel := sc.with()
		defer cancel()
		st, err := store.LessonStates(ctx)
		if err != nil {
			return errMsg{fmt.Errorf("reading progress: %w", err)}
		}
		cards, err := store.Due(ctx, now, cap)
		if err != nil {
			return errMsg{fmt.Errorf("reading reviews: %w", err)}
		}
		due, dueBy := len(cards), map[string]int{}
		for _, c := range cards {
			dueBy[c.LessonID]++
		}
		last, at, _, err := store.LastPosition(ctx)
		if err != nil {
			return errMsg{fmt.Errorf("reading progress: %w", err)}
		}
		return statesMsg{states: st, due: due, dueBy: dueBy, last: last, lastAt: at}
	}
}

// Update routes messages: window size to every screen, keys and mouse to
// the active one, results to whichever screen they name.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.loading && isInput(msg) {
		// A screen is on its way (its data is loading): keys and paste
		// wait for it instead of reaching the screen below.
		m.queued = append(m.queued, msg)
		return m, nil
	}
	m, cmd := m.update(msg)
	// Screens ask for switches synchronously (see shared.ask), so a key
	// typed right after the one that opened a screen reaches that screen.
	var switched []tea.Cmd
	for len(m.sh.requests) > 0 {
		req := m.sh.requests[0]
		m.sh.requests = m.sh.requests[1:]
		var c tea.Cmd
		m, c = m.update(req)
		switched = append(switched, c)
	}
	if len(switched) > 0 {
		// What the old screen asked (saving its place) is done before what
		// the new one starts (marking a lesson seen).
		cmd = tea.Sequence(cmd, tea.Batch(switched...))
	}
	if !m.loading && len(m.queued) > 0 {
		queued := m.queued
		m.queued = nil
		for _, q := range queued {
			next, c := m.Update(q)
			m = next.(Model)
			cmd = tea.Batch(cmd, c)
		}
	}
	return m, cmd
}

// isInput reports whether msg is the learner typing, pasting or clicking.
func isInput(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg, tea.MouseMsg:
		return true
	}
	return false
}

// nextDue is how many days until the learner's next review falls due: 0
// later today, -1 when none within a year.
func nextDue(ctx context.Context, store Progress, now time.Time) (int, error) {
	fc, err := store.Forecast(ctx, now, 366)
	if err != nil {
		return -1, fmt.Errorf("reading the review forecast: %w", err)
	}
	for d, n := range fc {
		if n > 0 {
			return d, nil
		}
	}
	return -1, nil
}

// nothingToReview says there is nothing to review now, and when there
// will be.
func nothingToReview(days int) string {
	switch {
	case days < 0:
		return "Nothing to review: answer questions in lessons and they come back here when due."
	case days == 0:
		return "Nothing to review right now: the next review is due later today."
	case days == 1:
		return "Nothing to review right now: the next review is due tomorrow."
	}
	return fmt.Sprintf("Nothing to review right now: the next review is due in %d days.", days)
}

// quitMsg asks the root to end the program (the map's q).
type quitMsg struct{}

// ask records a screen switch for the root to make as soon as the
// screen's Update returns, before any other message: keys typed meanwhile
// go to the new screen. It returns nil, so it can stand where a command
// would.
func (sh *shared) ask(msg tea.Msg) tea.Cmd {
	sh.requests = append(sh.requests, msg)
	return nil
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case quitMsg:
		return m.quit()
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.editHelp().SetWidth(msg.Width)
		for i := range m.stack {
			m.stack[i] = m.stack[i].SetSize(m.bodySize())
		}
		return m, tea.Batch(m.refreshTop(), prefetchLater(m.likelyNext()))
	case tea.BackgroundColorMsg:
		if m.fixTheme {
			return m, nil
		}
		theme := render.Light
		if msg.IsDark() {
			theme = render.Dark
		}
		if theme == m.sh.theme {
			return m, nil
		}
		m.sh.theme = theme
		m.sh.styles = NewStyles(theme)
		m.editHelp().Styles = m.sh.styles.Help
		return m, m.refreshTop()
	case tea.KeyPressMsg:
		if m.statusErr {
			// An error stays until the learner does something.
			m.status, m.statusErr = "", false
		}
		switch {
		case key.Matches(msg, m.keys.Quit):
			return m.quit()
		case key.Matches(msg, m.keys.Help) && !m.typing(), key.Matches(msg, m.keys.HelpTyping):
			m.showAllHelp(!m.help.ShowAll)
			return m, nil
		case m.help.ShowAll && msg.String() == "esc":
			m.showAllHelp(false)
			return m, nil
		}
		return m.updateTop(msg)
	case tea.MouseMsg, tea.PasteMsg:
		// Only the active screen takes input; paste goes to its focused
		// field, never to a screen underneath.
		return m.updateTop(msg)
	case statesMsg:
		first := m.sh.last == "" && msg.last != ""
		m.sh.states, m.sh.due, m.sh.dueBy, m.sh.last, m.sh.lastAt = msg.states, msg.due, msg.dueBy, msg.last, msg.lastAt
		m.sh.loaded = true
		if first && len(m.stack) == 1 {
			return m, prefetchLater(msg.last)
		}
	case openReviewMsg:
		store, sc, cap, now := m.sh.progress, m.sh.store, m.sh.newPerDay, m.sh.now()
		m.loading = true
		return m, func() tea.Msg {
			ctx, cancel := sc.with()
			defer cancel()
			cards, err := store.Due(ctx, now, cap)
			if err != nil {
				return reviewMsg{err: fmt.Errorf("reading reviews: %w", err)}
			}
			next, err := nextDue(ctx, store, now)
			return reviewMsg{cards: cards, next: next, err: err}
		}
	case openLabMsg:
		l := m.sh.course.Lesson(msg.lessonID)
		if l == nil {
			return m, nil
		}
		for _, lab := range l.Labs {
			if lab.ID != msg.labID {
				continue
			}
			sc, cmd, err := newLabScreen(m.sh, l, lab)
			if err != nil {
				m.status, m.statusErr = err.Error(), true
				return m, nil
			}
			// newLabScreen made the lab's start command already.
			m, _ = m.push(sc)
			return m, cmd
		}
		return m, nil
	case reloadMsg:
		return m.applyReload(msg.update)
	case prefetchMsg:
		return m, m.prefetch(msg.lessonID)
	case resetDoneMsg:
		m.status, m.statusErr = msg.text, false
		return m, tea.Batch(loadStates(m.sh), m.clearStatusLater())
	case openSearchMsg:
		return m.openSearch()
	case openBrokenMsg:
		return m.push(newBrokenScreen(m.sh, msg.broken))
	case openStatsMsg:
		return m.push(newStatsScreen(m.sh))
	case openClassMsg:
		if m.sh.class == nil {
			return m, nil
		}
		return m.push(newClassScreen(m.sh))
	case openUsersMsg:
		if m.sh.profiles == nil {
			return m, nil
		}
		return m.push(newUsersScreen(m.sh))
	case switchUserMsg:
		m.sh.progress, m.sh.user = msg.progress, msg.progress.Name()
		m.sh.states, m.sh.due, m.sh.last, m.sh.loaded = map[string]progress.LessonState{}, 0, "", false
		m.stack = m.stack[:1]
		m.status, m.statusErr = "Now studying as "+m.sh.user+".", false
		return m, tea.Batch(loadStates(m.sh), m.clearStatusLater())
	case openCramMsg:
		mod := m.sh.course.Module(msg.module)
		var items []quizItem
		if mod != nil {
			for _, l := range mod.Lessons {
				for i := range l.Questions {
					items = append(items, quizItem{lesson: l, q: i})
				}
			}
		}
		if len(items) == 0 {
			return m, nil
		}
		s := newReviewScreen(m.sh, items)
		s.cram = mod.Title
		return m.push(s)
	case reviewMsg:
		m.loading = false
		if msg.err != nil {
			m.status, m.statusErr = msg.err.Error(), true
			return m, nil
		}
		var items []quizItem
		for _, c := range msg.cards {
			// Questions removed from the course since are skipped.
			if l := m.sh.course.Lesson(c.LessonID); l != nil {
				for i, q := range l.Questions {
					if q.ID == c.QuestionID {
						items = append(items, quizItem{lesson: l, q: i})
					}
				}
			}
		}
		if len(items) == 0 {
			m.status, m.statusErr = nothingToReview(msg.next), false
			return m, m.clearStatusLater()
		}
		return m.push(newReviewScreen(m.sh, items))
	case statusMsg:
		m.status, m.statusErr = msg.text, false
		return m, m.clearStatusLater()
	case errMsg:
		m.status, m.statusErr = msg.err.Error(), true
		return m, nil
	case clearStatMsg:
		if !m.statusErr {
			m.status = ""
		}
		return m, nil
	case openLessonMsg:
		l := m.sh.course.Lesson(msg.id)
		if l == nil {
			m.status, m.statusErr = fmt.Sprintf("no lesson %q in this course", msg.id), true
			return m, nil
		}
		s := newLessonScreen(m.sh, l, msg.scroll)
		s.search.query = msg.query
		s.peek = msg.peek
		var start, next tea.Cmd
		m, start = m.push(s)
		if n := m.sh.course.Next(l.ID); n != nil {
			next = m.prefetch(n.ID)
		}
		return m, tea.Batch(start, next)
	case openQuizMsg:
		l := m.sh.course.Lesson(msg.lessonID)
		if l == nil || len(l.Questions) == 0 {
			return m, nil
		}
		s := newQuizScreen(m.sh, l, msg.from)
		s.card = msg.card
		return m.push(s)
	case backMsg:
		if len(m.stack) > 1 {
			m.stack = m.stack[:len(m.stack)-1]
			m.showAllHelp(false)
			return m, tea.Batch(loadStates(m.sh), m.refreshTop())
		}
		return m, nil
	case lessonDoneMsg:
		return m, loadStates(m.sh)
	case attemptSavedMsg:
		// Whichever screen recorded the answer (a card, the quiz, review,
		// cram), the lesson may now be done.
		cmd := m.broadcast(msg)
		if msg.err == nil {
			if l := m.sh.course.Lesson(msg.attempt.LessonID); l != nil {
				cmd = tea.Batch(cmd, completeIfDone(m.sh, l, false))
			}
		}
		return m, cmd
	}
	return m, m.broadcast(msg)
}

// broadcast gives msg to every screen; each takes only the messages that
// name it (render results, saved attempts, …).
func (m Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i := range m.stack {
		var cmd tea.Cmd
		m.stack[i], cmd = m.stack[i].Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// completeIfDone marks the lesson done when lessons.Done says it is, from
// the answers on record (and readToEnd, for a lesson without questions).
func completeIfDone(sh *shared, l *lessons.Lesson, readToEnd bool) tea.Cmd {
	id, store, sc := l.ID, sh.progress, sh.store
	return func() tea.Msg {
		ctx, cancel := sc.write()
		defer cancel()
		st := lessons.Standing{ReadToEnd: readToEnd}
		if len(l.Questions) > 0 {
			latest, err := store.Latest(ctx, id)
			if err != nil {
				return errMsg{fmt.Errorf("reading answers: %w", err)}
			}
			st.LatestRight = map[string]bool{}
			for qid, a := range latest {
				st.LatestRight[qid] = a.Correct
			}
		}
		if !lessons.Done(l, st) {
			return nil
		}
		if err := store.CompleteLesson(ctx, id); err != nil {
			return errMsg{fmt.Errorf("saving progress: %w", err)}
		}
		return lessonDoneMsg{id: id}
	}
}

// typing reports whether the active screen has a text field focused, so
// printable keys such as '?' and 'q' go to it.
func (m Model) typing() bool {
	return m.top().Typing()
}

func (m Model) quit() (Model, tea.Cmd) {
	m.quitting = true
	return m, tea.Sequence(m.top().onQuit(), tea.Quit)
}

// refreshTop tells the active screen to rebuild what depends on the
// theme or the size.
func (m Model) refreshTop() tea.Cmd {
	return m.top().refresh()
}

func (m Model) updateTop(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.stack[len(m.stack)-1], cmd = m.top().Update(msg)
	return m, cmd
}

// statusTTL is how long a status message stays.
const statusTTL = 4 * time.Second

func (m Model) clearStatusLater() tea.Cmd {
	return tea.Tick(m.sh.statusTTL, func(t time.Time) tea.Msg { return clearStatMsg{t} })
}

// Minimum size below which drawing would be broken.
const minWidth, minHeight = 40, 12

// bodySize is the space screens get: the terminal less the status line and
// the help footer.
func (m Model) bodySize() (int, int) {
	return m.width, max(1, m.height-2)
}

// View draws the active screen, a status line and the help footer.
func (m Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "serverside"
	if m.quitting {
		return v
	}
	if m.width == 0 {
		v.SetContent("")
		return v
	}
	if m.width < minWidth || m.height < minHeight {
		msg := fmt.Sprintf("Terminal too small (%dx%d).\nserverside needs at least %dx%d: enlarge the window, or press ctrl+c to quit.", m.width, m.height, minWidth, minHeight)
		v.SetContent(lipgloss.NewStyle().Width(m.width).Render(msg))
		return v
	}
	top := m.top()
	body := top.View()
	var footer string
	// A status message too long for the status line stands in full,
	// wrapped, above it.
	note := m.statusNote(top)
	if m.help.ShowAll {
		footer = m.footerView(top.Keys())
		// The full help replaces the bottom of the body.
		bodyLines := strings.Split(body, "\n")
		keep := max(0, m.height-1-lipgloss.Height(footer))
		if len(bodyLines) > keep {
			bodyLines = bodyLines[:keep]
		}
		body = strings.Join(bodyLines, "\n")
	} else {
		footer = m.footerView(top.Keys())
	}
	parts := []string{fitHeight(body, m.height-1-lipgloss.Height(footer)-noteHeight(note))}
	if note != "" {
		parts = append(parts, note)
	}
	// Every screen sanitises the outside text it shows; this is the net
	// under them: only SGR and OSC 8 reach the terminal. The parts are
	// joined, not lipgloss.JoinVertical'd: that measured every line of
	// the frame to pad it with spaces the terminal shows as the blank
	// cells they replace, a quarter of each frame's time.
	v.SetContent(termsafe.Styled(strings.Join(append(parts, m.statusView(top), footer), "\n")))
	return v
}

// cutWidth keeps every line of s within width columns.
func cutWidth(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if lipgloss.Width(l) > width {
			lines[i] = ansi.Truncate(l, width-1, "") + "…"
		}
	}
	return strings.Join(lines, "\n")
}

// fitHeight pads or cuts s to exactly h lines.
func fitHeight(s string, h int) string {
	if h < 1 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// statusRoom is the room the status line leaves for a message.
func (m Model) statusRoom(top screen) int {
	left := lipgloss.Width(" serverside ") + lipgloss.Width(" "+m.sh.user+" ")
	if t := top.Title(); t != "" {
		left += lipgloss.Width("· " + t + " ")
	}
	right := 0
	if m.sh.due > 0 {
		right = lipgloss.Width(fmt.Sprintf("%d due ", m.sh.due))
	}
	right += lipgloss.Width(top.Position())
	return m.width - left - right - 3
}

func (m Model) statusFits(top screen) bool {
	return lipgloss.Width(m.status) <= m.statusRoom(top)
}

// statusNote is a status message too long for the status line, wrapped
// to the width, at most a third of the screen tall.
func (m Model) statusNote(top screen) string {
	if m.status == "" || m.statusFits(top) || m.help.ShowAll {
		return ""
	}
	s := m.sh.styles.Status
	if m.statusErr {
		s = m.sh.styles.StatusErr
	}
	text := lipgloss.NewStyle().Width(m.width - 2).Render(m.status)
	lines := strings.Split(text, "\n")
	if limit := max(1, m.height/3); len(lines) > limit {
		lines = lines[:limit]
		lines[limit-1] = ansi.Truncate(lines[limit-1], m.width-3, "") + "…"
	}
	for i, l := range lines {
		lines[i] = s.Width(m.width).Render(" " + l)
	}
	return strings.Join(lines, "\n")
}

func noteHeight(note string) int {
	if note == "" {
		return 0
	}
	return lipgloss.Height(note)
}

func (m Model) statusLine(top screen) string {
	st := &m.sh.styles
	left := m.statusLeft(top.Title())
	right := ""
	if m.sh.due > 0 {
		right = st.Status.Render(fmt.Sprintf("%d due ", m.sh.due))
	}
	if p := top.Position(); p != "" {
		right += st.Status.Render(p)
	}
	if m.status != "" && m.statusFits(top) {
		s := st.Status
		if m.statusErr {
			s = st.StatusErr
		}
		right = s.Render(m.status) + "  " + right
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		left = ansi.Truncate(left, max(0, m.width-lipgloss.Width(right)-1), "…")
		gap = max(1, m.width-lipgloss.Width(left)-lipgloss.Width(right))
	}
	line := left + strings.Repeat(" ", gap) + right
	if !strings.Contains(line, "\n") && lipgloss.Width(line) == m.width {
		// The line is the width already: Width would only wrap and pad a
		// line that needs neither, at five times the cost, on every key.
		return st.StatusBar.Render(line)
	}
	return st.StatusBar.Width(m.width).Render(line)
}

// Run starts the TUI on this terminal and returns when the learner quits
// or ctx ends.
func Run(ctx context.Context, o Options) error {
	// Bubble Tea draws a frame at each tick of its renderer, the first one
	// a whole tick after the program starts: at its default 60 frames a
	// second that held the first frame back ~17 ms after it was ready (the
	// trace: the map's View at 56 ms, its bytes written at 73 ms). 120, the
	// most it allows, halves that wait, and the wait between a key and what
	// it shows. A frame is drawn only when it changed, so an idle tutor
	// costs nothing more; a classroom's sessions (NewProgram) keep the
	// default, where the server's CPU is shared by the room.
	opts := []tea.ProgramOption{tea.WithFPS(localFPS)}
	if o.ColorProfile != nil {
		opts = append(opts, tea.WithColorProfile(*o.ColorProfile))
	}
	return NewProgram(ctx, o, opts...).Run()
}

// localFPS is the frame rate of the tutor on this terminal (see Run).
const localFPS = 120

// Program is one running tutor: on this terminal (Run), or one session of
// a classroom, whose input, output and size come from the SSH session.
type Program struct {
	*tea.Program
	ctx context.Context
	// Exited, when set, is called once the program has left the terminal
	// as it found it, before what the learner left open is saved: a
	// classroom writes its goodbye line then, so a slow save (fifty
	// learners leaving at once) never costs a learner the last word.
	Exited func()
}

// NewProgram builds the tutor for one session; opts are further Bubble Tea
// options (input, output, environment, window size).
func NewProgram(ctx context.Context, o Options, opts ...tea.ProgramOption) *Program {
	return &Program{Program: tea.NewProgram(New(ctx, o), opts...), ctx: ctx}
}

// Run runs the tutor until the learner quits or the session's context
// ends, then saves what the learner left open (their place, reading time)
// and closes open labs.
func (p *Program) Run() error {
	ctx := p.ctx
	// A signal (ctx cancelled: SIGINT, SIGHUP) ends the program the way a
	// quit does, so the terminal reader stops before Run returns; killing
	// the program through its context returned while the reader still ran
	// (a data race under -race). If it does not end, kill it after all.
	stop := context.AfterFunc(ctx, func() {
		p.Quit()
		time.AfterFunc(3*time.Second, p.Kill)
	})
	defer stop()
	final, err := p.Program.Run()
	if p.Exited != nil {
		p.Exited()
	}
	// A signal ends the program without the learner's quit: SIGTERM as a
	// QuitMsg, SIGINT and SIGHUP by cancelling ctx.
	if m, ok := final.(Model); ok && !m.quitting {
		m.release()
	}
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}
