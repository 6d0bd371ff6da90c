package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/fsrs"
	"serverside/lessons"
	"serverside/progress"
)

type quizPhase int

const (
	asking  quizPhase = iota
	saving            // the attempt is being committed; feedback waits for it
	showing           // feedback for the answer just given
	summary           // the end of the quiz
)

type quizKeys struct {
	Up, Down, Toggle, Submit, Hint, MoveUp, MoveDown, True, False, Next, Retry, Lesson, Back, Help key.Binding
	Easy, Flag, FlagTyping, NextQuestion                                                           key.Binding
	// Grades are review's Again, Hard, Good and Easy, as in Anki.
	Grades []key.Binding
}

func newQuizKeys() quizKeys {
	return quizKeys{
		Up: upKey(), Down: downKey(),
		Toggle: key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", "toggle")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "submit")),
		// Keys that can't be typed into an answer: ctrl+h is backspace on
		// some terminals, so the hint is ctrl+t.
		Hint:         key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "hint")),
		MoveUp:       key.NewBinding(key.WithKeys("K", "shift+up"), key.WithHelp("K/shift+↑", "move item up")),
		MoveDown:     key.NewBinding(key.WithKeys("J", "shift+down"), key.WithHelp("J/shift+↓", "move item down")),
		True:         key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "true")),
		False:        key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "false")),
		Next:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		NextQuestion: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next question")),
		Retry:        key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry missed")),
		Lesson:       key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "back to the lesson")),
		Back:         backKey(),
		Help:         helpKey(),
		Easy:         key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "that was easy: see it later")),
		Grades: []key.Binding{
			key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "again")),
			key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "hard")),
			key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "good")),
			key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "easy")),
		},
		Flag: key.NewBinding(key.WithKeys("F", "ctrl+r"), key.WithHelp("F", "flag as wrong or confusing")),
		// While an answer is typed, F is a letter of it.
		FlagTyping: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "flag as wrong or confusing")),
	}
}

// flagKey is the flag binding that works now.
func (s quizScreen) flagKey() key.Binding {
	if s.Typing() {
		return s.keys.FlagTyping
	}
	return s.keys.Flag
}

// quizHelp is the help for the current phase and question type, so the
// footer always lists the keys that work now.
type quizHelp struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h quizHelp) ShortHelp() []key.Binding  { return h.short }
func (h quizHelp) FullHelp() [][]key.Binding { return h.full }

// quizScreen asks a lesson's questions one at a time.
type quizScreen struct {
	sh     *shared
	lesson *lessons.Lesson
	keys   quizKeys
	width  int
	height int

	queue []int // indexes of the questions to ask, in order
	pos   int   // position in queue
	phase quizPhase

	// State of the question being asked.
	cursor   int
	picked   map[int]bool
	order    []int // order questions: item indexes as currently arranged
	input    textinput.Model
	hints    int
	problem  string // why the answer can't be submitted yet
	result   lessons.Result
	started  time.Time
	outcomes map[int]bool // item index -> answered right, this round
	saveErr  error
	// slowSave: the answer has been saving longer than slowSaveAfter.
	slowSave bool
	items    []quizItem
	review   bool   // a review session across lessons, not a lesson's quiz
	cram     string // the module being crammed, when cramming
	card     bool   // asked from its card: one question, then back to the text
	rated    bool   // the learner marked the last answer easy
	flagging bool   // a comment for a flag is being typed
	flagged  map[int]bool
	comment  textinput.Model
	// sc scrolls the question, its feedback or the summary when they
	// are taller than the screen.
	sc scroller
	// next is when the answered card comes back, in review.
	next cardDueMsg
}

// cardDueMsg says when a card is next due and how it was graded.
type cardDueMsg struct {
	lessonID, questionID string
	due                  time.Time
	rating               fsrs.Rating
	ok                   bool
}

// grading is true on review's feedback, where the learner may grade the
// answer Again, Hard, Good or Easy (cram doesn't move the schedule).
func (s quizScreen) grading() bool {
	return s.review && s.cram == "" && s.phase == showing
}

// readDue reads when the current card is due now.
func (s quizScreen) readDue() tea.Cmd {
	it := s.item()
	store, sc, lid, qid := s.sh.progress, s.sh.store, it.lesson.ID, it.question().ID
	return func() tea.Msg {
		ctx, cancel := sc.with()
		defer cancel()
		due, rating, ok, err := store.CardDue(ctx, lid, qid)
		if err != nil {
			return errMsg{err}
		}
		return cardDueMsg{lessonID: lid, questionID: qid, due: due, rating: rating, ok: ok}
	}
}

// rate grades the answer just given and reads the new due date.
func (s quizScreen) rate(r fsrs.Rating) tea.Cmd {
	it := s.item()
	store, sc, lid, qid, now := s.sh.progress, s.sh.store, it.lesson.ID, it.question().ID, s.sh.now()
	due := s.readDue()
	return func() tea.Msg {
		ctx, cancel := sc.write()
		defer cancel()
		if err := store.Rate(ctx, lid, qid, r, now); err != nil {
			return errMsg{fmt.Errorf("saving the grade: %w", err)}
		}
		return due()
	}
}

// untilDue says when a card comes back, in words.
func untilDue(due, now time.Time) string {
	d := due.Sub(now)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return "in " + count(int(d/time.Minute), "minute", "minutes")
	case d < 24*time.Hour:
		return "in " + count(int(d/time.Hour), "hour", "hours")
	}
	return "in " + count(int((d+12*time.Hour)/(24*time.Hour)), "day", "days")
}

// quizItem is one question to ask, with the lesson it belongs to.
type quizItem struct {
	lesson *lessons.Lesson
	q      int
}

func (it quizItem) question() *lessons.Question { return it.lesson.Questions[it.q] }

func newQuizScreen(sh *shared, l *lessons.Lesson, from int) quizScreen {
	var items []quizItem
	for i := range l.Questions {
		items = append(items, quizItem{lesson: l, q: i})
	}
	s := newQuizOver(sh, items, false)
	s.lesson = l
	// Ask from the chosen question to the end.
	s.queue = s.queue[from:]
	s.prepare()
	return s
}

// newReviewScreen asks questions from across the course, as review.
func newReviewScreen(sh *shared, items []quizItem) quizScreen {
	s := newQuizOver(sh, items, true)
	s.prepare()
	return s
}

func newQuizOver(sh *shared, items []quizItem, review bool) quizScreen {
	s := quizScreen{sh: sh, keys: newQuizKeys(), outcomes: map[int]bool{}, items: items, review: review, flagged: map[int]bool{}}
	s.comment = newTextInput()
	s.comment.Placeholder = "what is wrong? (optional)"
	s.comment.CharLimit = 500
	for i := range items {
		s.queue = append(s.queue, i)
	}
	s.input = newTextInput()
	// Focus now, on the value that is returned: a command can't change it.
	s.input.Focus()
	return s
}

func (s quizScreen) init() tea.Cmd { return nil }

func (s quizScreen) item() quizItem                 { return s.items[s.queue[s.pos]] }
func (s quizScreen) current() *lessons.Question     { return s.item().question() }
func (s quizScreen) currentLesson() *lessons.Lesson { return s.item().lesson }

// prepare resets the per-question state for the question at pos.
func (s *quizScreen) prepare() {
	q := s.current()
	s.phase, s.cursor, s.hints, s.problem, s.saveErr, s.rated = asking, 0, 0, "", nil, false
	s.sc = scroller{}
	s.picked = map[int]bool{}
	s.started = time.Now()
	s.input.SetValue("")
	s.input.Placeholder = "type your answer"
	if q.Type == lessons.Numeric {
		s.input.Placeholder = "a number"
		if q.Unit != "" {
			s.input.Placeholder += " (in " + q.Unit + ")"
		}
	}
	if q.Type == lessons.Order {
		s.order = lessons.ShuffledOrder(len(q.Items), q.ID+s.currentLesson().ID)
	}
}

// shuffled is a fixed shuffle per question, never the right order, so a
// learner who comes back sees the same puzzle.

func (s quizScreen) Title() string {
	if s.cram != "" {
		return "Cram · " + s.cram
	}
	if s.review {
		return "Review · " + s.currentLesson().Title
	}
	return s.lesson.Title + " · quiz"
}

func (s quizScreen) Position() string {
	if s.phase == summary {
		return "summary "
	}
	if s.review {
		// Review crosses lessons: where the learner is in this session.
		return fmt.Sprintf("%d of %d to review ", s.pos+1, len(s.queue))
	}
	return s.number() + " "
}

// number is the question's one number within its lesson, the same on
// its card, here, in the status line and in the summary.
func (s quizScreen) number() string {
	return questionNumber(s.item())
}

func questionNumber(it quizItem) string {
	return fmt.Sprintf("Question %d of %d", it.q+1, len(it.lesson.Questions))
}

// summaryKeys are the keys that work on the summary, as they act.
func (s quizScreen) summaryKeys() []key.Binding {
	var keys []key.Binding
	next := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "back to the map"))
	back := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the map"))
	if !s.review {
		if n := s.sh.course.Next(s.lesson.ID); n != nil {
			next = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next lesson: "+n.Title))
		}
		back = key.NewBinding(key.WithKeys("esc", "l"), key.WithHelp("esc", "back to the lesson"))
	}
	if len(s.missed()) > 0 {
		keys = append(keys, s.keys.Retry)
	}
	return append(keys, next, back)
}

// Typing is true while a text answer is being typed, so q and ? are text.
func (s quizScreen) Typing() bool {
	if s.flagging {
		return true
	}
	t := s.current().Type
	return s.phase == asking && (t == lessons.Short || t == lessons.Numeric)
}

func (s quizScreen) SetSize(w, h int) screen {
	s.width, s.height = w, h
	s.input.SetWidth(max(10, min(w, maxTextWidth)-8))
	s.comment.SetWidth(max(10, min(w-4, maxTextWidth)-4))
	return s
}

func (s quizScreen) Keys() helpKeyMap {
	k := s.keys
	switch s.phase {
	case summary:
		keys := s.summaryKeys()
		return quizHelp{short: keys, full: [][]key.Binding{keys, {k.Help, quitKey()}}}
	case showing, saving:
		keys := []key.Binding{k.Next}
		if s.card {
			keys = []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "back to the text"))}
			if s.pos+1 < len(s.queue) {
				keys = append(keys, k.NextQuestion)
			}
		}
		switch {
		case s.grading():
			keys = append(keys, k.Grades...)
		case s.phase == showing && s.result.Correct && !s.rated:
			keys = append(keys, k.Easy)
		}
		keys = append(keys, k.Flag, k.Back)
		return quizHelp{short: keys, full: [][]key.Binding{keys, {k.Help, quitKey()}}}
	}
	if s.flagging {
		done := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send the flag"))
		cancel := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
		return quizHelp{short: []key.Binding{done, cancel}, full: [][]key.Binding{{done, cancel}}}
	}
	var keys []key.Binding
	switch s.current().Type {
	case lessons.Single:
		keys = []key.Binding{k.Up, k.Down, key.NewBinding(key.WithKeys("1"), key.WithHelp("1-9", "choose"))}
	case lessons.Multi:
		keys = []key.Binding{k.Up, k.Down, k.Toggle}
	case lessons.TrueFalse:
		keys = []key.Binding{k.True, k.False}
	case lessons.Order:
		keys = []key.Binding{k.Up, k.Down, k.MoveUp, k.MoveDown}
	}
	keys = append(keys, k.Submit)
	if len(s.current().Hints) > s.hints {
		keys = append(keys, k.Hint)
	}
	keys = append(keys, s.flagKey(), k.Back)
	help := k.Help
	if s.Typing() {
		help = newGlobalKeys().HelpTyping
	}
	return quizHelp{short: keys, full: [][]key.Binding{keys, {help, quitKey()}}}
}

// slowSaveMsg comes when an answer has been saving for a while: the
// progress database (a server restarting, a network hiccup) is not
// answering, and the store keeps retrying.
// wait delivers the attemptSavedMsg when the store answers.
type slowSaveMsg struct {
	lessonID, questionID string
	wait                 tea.Cmd
}

// slowSaveAfter is how long an answer saves before the screen says the
// store is reconnecting: a file commits in milliseconds, a server on a
// network in tens.
const slowSaveAfter = 1500 * time.Millisecond

// attemptSavedMsg says an answer is committed; only then is feedback shown.
type attemptSavedMsg struct {
	attempt progress.Attempt
	result  lessons.Result
	err     error
}

func (s quizScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case attemptSavedMsg:
		if s.phase != saving || msg.attempt.LessonID != s.currentLesson().ID || msg.attempt.QuestionID != s.current().ID {
			return s, nil
		}
		s.slowSave = false
		if msg.err != nil {
			// Nothing was recorded: let the learner submit again.
			s.phase, s.saveErr = asking, msg.err
			return s, func() tea.Msg {
				return errMsg{fmt.Errorf("your answer was not saved (%v): press enter to try again", msg.err)}
			}
		}
		s.phase, s.result = showing, msg.result
		s.outcomes[s.queue[s.pos]] = msg.result.Correct
		s.next = cardDueMsg{}
		if s.grading() {
			return s.follow(), s.readDue()
		}
		return s.follow(), nil
	case slowSaveMsg:
		if s.phase == saving && msg.lessonID == s.currentLesson().ID && msg.questionID == s.current().ID {
			s.slowSave = true
		}
		return s, msg.wait
	case cardDueMsg:
		if it := s.item(); s.phase == showing && msg.lessonID == it.lesson.ID && msg.questionID == it.question().ID {
			s.next = msg
		}
		return s, nil
	case flaggedMsg:
		s.flagged[msg.item] = true
		return s, func() tea.Msg { return statusMsg{"Flagged for the instructors. Thank you."} }
	case tea.KeyPressMsg:
		if s.flagging {
			return s.updateFlagging(msg)
		}
		if key.Matches(msg, s.keys.Back) {
			return s, s.sh.ask(backMsg{})
		}
		if s.phase != summary && key.Matches(msg, s.flagKey()) {
			s.flagging = true
			s.comment.SetValue("")
			return s, s.comment.Focus()
		}
		if s.grading() {
			for i, g := range s.keys.Grades {
				if key.Matches(msg, g) {
					return s, s.rate(fsrs.Rating(i + 1))
				}
			}
		}
		if s.phase == showing && !s.grading() && key.Matches(msg, s.keys.Easy) && s.result.Correct && !s.rated {
			s.rated = true
			it := s.item()
			store, sc, lid, qid, now := s.sh.progress, s.sh.store, it.lesson.ID, it.question().ID, s.sh.now()
			return s, func() tea.Msg {
				ctx, cancel := sc.write()
				defer cancel()
				if err := store.Rate(ctx, lid, qid, fsrs.Easy, now); err != nil {
					return errMsg{fmt.Errorf("saving the rating: %w", err)}
				}
				return statusMsg{"Marked easy: it will come back later."}
			}
		}
		scroll := newScrollKeys()
		if s.phase == asking {
			scroll = scroll.pageOnly()
		}
		if sc, ok := s.sc.update(msg, scroll, lineCount(s.content()), s.viewHeight()); ok {
			s.sc = sc
			return s, nil
		}
		switch s.phase {
		case asking:
			next, cmd := s.updateAsking(msg)
			if q, ok := next.(quizScreen); ok && q.phase == asking {
				next = q.follow()
			}
			return next, cmd
		case showing:
			if s.card && key.Matches(msg, s.keys.Next) {
				return s, s.sh.ask(backMsg{})
			}
			if s.card && key.Matches(msg, s.keys.NextQuestion) && s.pos+1 < len(s.queue) {
				return s.advance()
			}
			if key.Matches(msg, s.keys.Next) {
				return s.advance()
			}
		case summary:
			return s.updateSummary(msg)
		}
	case tea.PasteMsg:
		if s.flagging {
			// The flag's comment has the focus, in any phase.
			var cmd tea.Cmd
			s.comment, cmd = s.comment.Update(msg)
			return s, cmd
		}
		if s.phase == asking && s.Typing() {
			var cmd tea.Cmd
			s.input, cmd = s.input.Update(msg)
			return s, cmd
		}
	case tea.MouseWheelMsg:
		s.sc, _ = s.sc.update(msg, scrollKeys{}, lineCount(s.content()), s.viewHeight())
	case tea.MouseClickMsg:
		if s.phase == asking {
			if i, ok := s.choiceAt(msg.Y); ok {
				s.cursor = i
				if s.current().Type == lessons.Multi {
					s.picked[i] = !s.picked[i]
				}
			}
		}
	}
	return s, nil
}

// flaggedMsg says a flag was stored.
type flaggedMsg struct{ item int }

func (s quizScreen) updateFlagging(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	switch msg.String() {
	case "esc":
		s.flagging = false
		s.comment.Blur()
		return s, nil
	case "enter":
		s.flagging = false
		s.comment.Blur()
		it, idx := s.item(), s.queue[s.pos]
		store, sc, lid, qid, comment := s.sh.progress, s.sh.store, it.lesson.ID, it.question().ID, strings.TrimSpace(s.comment.Value())
		return s, func() tea.Msg {
			ctx, cancel := sc.write()
			defer cancel()
			if err := store.Flag(ctx, lid, qid, comment); err != nil {
				return errMsg{fmt.Errorf("saving the flag: %w", err)}
			}
			return flaggedMsg{idx}
		}
	}
	var cmd tea.Cmd
	s.comment, cmd = s.comment.Update(msg)
	return s, cmd
}

func (s quizScreen) updateAsking(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	q := s.current()
	k := s.keys
	s.problem = ""
	if key.Matches(msg, k.Hint) && s.hints < len(q.Hints) {
		s.hints++
		return s, nil
	}
	if key.Matches(msg, k.Submit) {
		return s.submit()
	}
	switch q.Type {
	case lessons.Short, lessons.Numeric:
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return s, cmd
	case lessons.Single, lessons.Multi, lessons.TrueFalse:
		n := len(q.Choices)
		if q.Type == lessons.TrueFalse {
			n = 2
		}
		switch {
		case key.Matches(msg, k.Up):
			s.cursor = (s.cursor + n - 1) % n
		case key.Matches(msg, k.Down):
			s.cursor = (s.cursor + 1) % n
		case q.Type == lessons.Multi && key.Matches(msg, k.Toggle):
			s.picked[s.cursor] = !s.picked[s.cursor]
		case q.Type == lessons.TrueFalse && key.Matches(msg, k.True):
			s.cursor = 0
		case q.Type == lessons.TrueFalse && key.Matches(msg, k.False):
			s.cursor = 1
		default:
			if d, err := strconv.Atoi(msg.String()); err == nil && d >= 1 && d <= n {
				s.cursor = d - 1
				if q.Type == lessons.Multi {
					s.picked[d-1] = !s.picked[d-1]
				}
			}
		}
	case lessons.Order:
		n := len(s.order)
		switch {
		case key.Matches(msg, k.MoveUp) && s.cursor > 0:
			s.order[s.cursor], s.order[s.cursor-1] = s.order[s.cursor-1], s.order[s.cursor]
			s.cursor--
		case key.Matches(msg, k.MoveDown) && s.cursor < n-1:
			s.order[s.cursor], s.order[s.cursor+1] = s.order[s.cursor+1], s.order[s.cursor]
			s.cursor++
		case key.Matches(msg, k.Up):
			s.cursor = max(0, s.cursor-1)
		case key.Matches(msg, k.Down):
			s.cursor = min(n-1, s.cursor+1)
		}
	}
	return s, nil
}

// answer reads the learner's answer from the screen state.
func (s quizScreen) answer() (lessons.Answer, string) {
	q := s.current()
	switch q.Type {
	case lessons.Single:
		return lessons.Answer{Choices: []int{s.cursor}}, ""
	case lessons.Multi:
		var picked []int
		for i := range q.Choices {
			if s.picked[i] {
				picked = append(picked, i)
			}
		}
		if len(picked) == 0 {
			return lessons.Answer{}, "Pick at least one choice with space (or its number), then press enter."
		}
		return lessons.Answer{Choices: picked}, ""
	case lessons.TrueFalse:
		b := s.cursor == 0
		return lessons.Answer{Bool: &b}, ""
	case lessons.Short:
		if strings.TrimSpace(s.input.Value()) == "" {
			return lessons.Answer{}, "Type an answer, then press enter."
		}
		return lessons.Answer{Text: s.input.Value()}, ""
	case lessons.Numeric:
		if _, err := lessons.ParseNumber(s.input.Value(), q.Unit); err != nil {
			return lessons.Answer{}, "Type a number: " + err.Error() + "."
		}
		return lessons.Answer{Text: s.input.Value()}, ""
	case lessons.Order:
		return lessons.Answer{Order: append([]int(nil), s.order...)}, ""
	}
	return lessons.Answer{}, "unknown question type"
}

func (s quizScreen) submit() (screen, tea.Cmd) {
	a, problem := s.answer()
	if problem != "" {
		s.problem = problem
		return s, nil
	}
	q := s.current()
	res := lessons.Grade(q, a)
	s.phase = saving
	att := progress.Attempt{
		User: s.sh.user, LessonID: s.currentLesson().ID, QuestionID: q.ID, QuestionHash: q.Hash,
		Answer: a.Encode(), Correct: res.Correct, HintsUsed: s.hints, At: s.sh.now(), Review: s.review,
	}
	store, sc := s.sh.progress, s.sh.store
	return s, func() tea.Msg {
		done := make(chan tea.Msg, 1)
		go func() {
			ctx, cancel := sc.write()
			defer cancel()
			saved, err := store.Record(ctx, att)
			if err == nil {
				saved.LessonID, saved.QuestionID = att.LessonID, att.QuestionID
			} else {
				saved = att
			}
			done <- attemptSavedMsg{attempt: saved, result: res, err: err}
		}()
		timer := time.NewTimer(slowSaveAfter)
		defer timer.Stop()
		select {
		case msg := <-done:
			return msg
		case <-timer.C:
			// Still saving: say so, and go on waiting for the answer.
			return slowSaveMsg{att.LessonID, att.QuestionID, func() tea.Msg { return <-done }}
		}
	}
}

func (s quizScreen) advance() (screen, tea.Cmd) {
	if s.pos+1 < len(s.queue) {
		s.pos++
		s.prepare()
		return s, nil
	}
	s.phase, s.sc = summary, scroller{}
	// Whether the lesson is now done was settled as each answer was saved
	// (see the root's attemptSavedMsg); the map only needs fresh states.
	return s, loadStates(s.sh)
}

func (s quizScreen) missed() []int {
	var out []int
	for _, i := range s.queue {
		if ok, asked := s.outcomes[i]; asked && !ok {
			out = append(out, i)
		}
	}
	return out
}

func (s quizScreen) updateSummary(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, s.keys.Retry):
		missed := s.missed()
		if len(missed) == 0 {
			return s, nil
		}
		s.queue, s.pos, s.outcomes = missed, 0, map[int]bool{}
		s.prepare()
		return s, nil
	case key.Matches(msg, s.keys.Lesson) && !s.review:
		return s, s.sh.ask(backMsg{})
	case key.Matches(msg, s.keys.Next) && s.review:
		return s, s.sh.ask(backMsg{})
	case key.Matches(msg, s.keys.Next):
		next := s.sh.course.Next(s.lesson.ID)
		if next == nil {
			s.sh.ask(backMsg{})
			return s, s.sh.ask(backMsg{})
		}
		id := next.ID
		s.sh.ask(backMsg{})
		s.sh.ask(backMsg{})
		return s, s.sh.ask(openLessonMsg{id: id, scroll: -1})
	}
	return s, nil
}

// choiceAt maps a screen row to a choice, for mouse clicks.
func (s quizScreen) choiceAt(y int) (int, bool) {
	lines := strings.Split(s.View(), "\n")
	if y < 0 || y >= len(lines) {
		return 0, false
	}
	var i int
	text := strings.TrimSpace(ansi.Strip(lines[y]))
	text = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(text, "▸"), "[x]"), "[ ]")
	if n, err := fmt.Sscanf(strings.TrimSpace(text), "%d.", &i); err == nil && n == 1 {
		return i - 1, true
	}
	return 0, false
}

func (s quizScreen) View() string {
	return s.frame(s.content())
}

// content is everything the screen shows, before it is cut to the
// window the scroller shows.
func (s quizScreen) content() string {
	if s.phase == summary {
		return s.summaryView()
	}
	body, fb := s.question()
	return body + fb
}

// question draws the question being asked and, once it is answered, the
// feedback apart, so the window can be moved to show the feedback.
func (s quizScreen) question() (body, feedback string) {
	st := s.sh.styles
	q := s.current()
	tw := max(20, min(s.width-4, maxTextWidth))
	wrap := lipgloss.NewStyle().Width(tw)
	var b strings.Builder
	head := s.number()
	if s.review {
		head += " · " + s.currentLesson().Title
	}
	b.WriteString(wrap.Render(st.CardTitle.Render(head)+st.Subtle.Render(" · "+typeLabel(q.Type))) + "\n\n")
	b.WriteString(st.questionText(q.Prompt, tw, st.Prompt) + "\n\n")
	answering := s.phase == asking
	switch q.Type {
	case lessons.Single, lessons.Multi, lessons.TrueFalse:
		choices := q.Choices
		if q.Type == lessons.TrueFalse {
			choices = []string{"True", "False"}
		}
		for i, c := range choices {
			b.WriteString(s.choiceLine(i, c, tw) + "\n")
		}
	case lessons.Short, lessons.Numeric:
		if answering {
			b.WriteString("  " + themedInput(s.input, s.sh.theme))
			if q.Unit != "" {
				b.WriteString(" " + st.Subtle.Render(q.Unit))
			}
			b.WriteString("\n")
		} else {
			b.WriteString("  " + st.Lesson.Render(s.input.Value()) + "\n")
		}
	case lessons.Order:
		for i, idx := range s.order {
			cur, look := "  ", lipgloss.NewStyle()
			if answering && i == s.cursor {
				cur, look = st.Cursor.Render("▸ "), st.Selected
			}
			line := look.Render(fmt.Sprintf("%d. ", i+1)) + st.questionText(q.Items[idx], 0, look)
			b.WriteString(cur + wrapIndent(line, tw-4, "     ") + "\n")
		}
	}
	if s.hints > 0 {
		b.WriteString("\n")
		for i := 0; i < s.hints; i++ {
			b.WriteString(st.questionText(fmt.Sprintf("Hint %d: %s", i+1, q.Hints[i]), tw, st.Hint) + "\n")
		}
	}
	if s.flagging {
		b.WriteString("\n" + st.Hint.Render("Flag for the instructors:") + "\n" + themedInput(s.comment, s.sh.theme) + "\n")
	} else if s.flagged[s.queue[s.pos]] {
		b.WriteString("\n" + st.Subtle.Render("⚑ flagged") + "\n")
	}
	switch s.phase {
	case asking:
		if s.problem != "" {
			b.WriteString("\n" + wrap.Render(st.Bad.Render(s.problem)) + "\n")
		}
	case saving:
		if s.slowSave {
			b.WriteString("\n" + wrap.Render(st.Subtle.Render("Saving your answer… the progress database is not answering: reconnecting. Your answer is kept until it is saved or you are told it was not.")) + "\n")
		} else {
			b.WriteString("\n" + st.Subtle.Render("Saving your answer…") + "\n")
		}
	case showing:
		b.WriteString("\n")
		return b.String(), s.feedback(tw)
	}
	return b.String(), ""
}

// frame centres the quiz's column on wide terminals and keeps it in height.
func (s quizScreen) frame(body string) string {
	tw := max(20, min(s.width-4, maxTextWidth))
	pad := max(1, (s.width-tw)/2)
	return lipgloss.NewStyle().PaddingLeft(pad).PaddingTop(1).Render(s.sc.window(s.sh.styles, body, s.viewHeight()))
}

// viewHeight is the height the window has for the content.
func (s quizScreen) viewHeight() int { return max(1, s.height-1) }

// follow moves the window to what the learner needs to see now: the
// choice under the cursor while asking, the feedback once answered.
func (s quizScreen) follow() quizScreen {
	h := s.viewHeight()
	switch s.phase {
	case showing:
		body, fb := s.question()
		start, total := lineCount(body), lineCount(body+fb)
		s.sc = s.sc.show(total-1, total, h).show(start, total, h)
	case asking:
		lines := strings.Split(s.content(), "\n")
		for i, l := range lines {
			if strings.Contains(ansi.Strip(l), "▸ ") {
				s.sc = s.sc.show(i, len(lines), h)
				break
			}
		}
	}
	return s
}

func (s quizScreen) choiceLine(i int, text string, tw int) string {
	st := s.sh.styles
	q := s.current()
	cur := "  "
	if s.phase == asking && i == s.cursor {
		cur = st.Cursor.Render("▸ ")
	}
	box := ""
	if q.Type == lessons.Multi {
		box = "[ ] "
		if s.picked[i] {
			box = "[x] "
		}
	}
	look, mark := lipgloss.NewStyle(), ""
	switch {
	case s.phase == showing && s.isCorrectChoice(i):
		look, mark = st.Good, "  ✓"
	case s.phase == showing && s.wasChosen(i):
		look, mark = st.Bad, "  ✗"
	case s.phase == asking && i == s.cursor:
		look = st.Selected
	}
	line := look.Render(fmt.Sprintf("%s%d. ", box, i+1)) + st.questionText(text, 0, look) + look.Render(mark)
	return cur + wrapIndent(line, tw-4, "     ")
}

func (s quizScreen) isCorrectChoice(i int) bool {
	q := s.current()
	if q.Type == lessons.TrueFalse {
		return (i == 0) == q.Bool
	}
	for _, c := range q.Correct {
		if c == i {
			return true
		}
	}
	return false
}

func (s quizScreen) wasChosen(i int) bool {
	if s.current().Type == lessons.Multi {
		return s.picked[i]
	}
	return s.cursor == i
}

func (s quizScreen) feedback(tw int) string {
	st := s.sh.styles
	q := s.current()
	wrap := lipgloss.NewStyle().Width(tw)
	var b strings.Builder
	if s.result.Correct {
		b.WriteString(st.Good.Render("✓ Right.") + "\n")
	} else {
		// The answer on its own lines, wrapped whole: beside the verdict it
		// would stand wider than the screen and be cut.
		b.WriteString(st.Bad.Render("✗ Not quite.") + "\n" + wrap.Render("The answer: "+s.result.Expected) + "\n")
	}
	b.WriteString("\n" + st.questionText(q.Explain, tw, lipgloss.NewStyle()) + "\n")
	if len(q.Refs) > 0 {
		b.WriteString("\n" + st.Subtle.Render(wrap.Render("Source: "+strings.Join(q.Refs, " · "))) + "\n")
	}
	if s.grading() && s.next.ok {
		grade := map[fsrs.Rating]string{fsrs.Again: "again", fsrs.Hard: "hard", fsrs.Good: "good", fsrs.Easy: "easy"}[s.next.rating]
		b.WriteString("\n" + wrap.Render(st.Module.Render("Graded "+grade+": next review "+untilDue(s.next.due, time.Now())+".")+
			st.Subtle.Render(" 1 again · 2 hard · 3 good · 4 easy")) + "\n")
	}
	return b.String()
}

func (s quizScreen) summaryView() string {
	st := s.sh.styles
	tw := max(20, min(s.width-4, maxTextWidth))
	right := 0
	for _, i := range s.queue {
		if s.outcomes[i] {
			right++
		}
	}
	var b strings.Builder
	if s.review {
		b.WriteString(st.Title.Render("Review complete") + "\n\n")
	} else {
		b.WriteString(st.Title.Render("Quiz complete: "+s.lesson.Title) + "\n\n")
	}
	b.WriteString(fmt.Sprintf("You answered %d of %d correctly.  ", right, len(s.queue)))
	b.WriteString(st.bar(right, len(s.queue), min(30, tw/3)) + "\n\n")
	if missed := s.missed(); len(missed) > 0 {
		b.WriteString(st.Module.Render("To look at again:") + "\n")
		for _, i := range missed {
			q := s.items[i].question()
			b.WriteString(wrapIndent(st.Bad.Render("✗ ")+questionNumber(s.items[i])+": "+st.questionText(q.Prompt, 0, lipgloss.NewStyle()), tw, "  ") + "\n")
			b.WriteString("  " + wrapIndent(st.Subtle.Render("Answer: "+lessons.ExpectedAnswer(q)), tw-2, "  ") + "\n")
		}
	} else {
		b.WriteString(st.Good.Render("Every answer right.") + "\n")
	}
	var keys []string
	for _, k := range s.summaryKeys() {
		keys = append(keys, k.Help().Key+": "+k.Help().Desc)
	}
	b.WriteString("\n" + wrapIndent(st.Subtle.Render(strings.Join(keys, " · ")), tw, "") + "\n")
	return b.String()
}

// fitTop keeps the first h lines of a view.
func fitTop(s string, h int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if h > 0 && len(lines) > h {
		lines = lines[:h]
	}
	return strings.Join(lines, "\n")
}

// wrapIndent wraps s to width, indenting continuation lines.
func wrapIndent(s string, width int, indent string) string {
	out := lipgloss.NewStyle().Width(max(10, width)).Render(s)
	return strings.ReplaceAll(out, "\n", "\n"+indent)
}

// fitLines keeps the last part of a view that is taller than the screen,
// so feedback stays visible under a long prompt.
func fitLines(s string, h int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if h > 0 && len(lines) > h {
		lines = lines[len(lines)-h:]
	}
	return strings.Join(lines, "\n")
}

func (q quizScreen) onQuit() tea.Cmd  { return nil } // nothing to save or close
func (q quizScreen) refresh() tea.Cmd { return nil } // nothing depends on the theme beyond View
