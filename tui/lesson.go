package tui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
	"serverside/progress"
	"serverside/render"
)

// maxTextWidth caps the reading width: long lines are hard to read, so on
// wide terminals the text is centred instead of stretched.
const maxTextWidth = 100

type lessonKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Answer, Next, Back, Help key.Binding
	Search, NextMatch, PrevMatch, Contents, Links, Lab, AnswerAgain   key.Binding
}

func (k lessonKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.PageDown, k.Answer, k.Search, k.Contents, k.Back, k.Help}
}

func (k lessonKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Search, k.NextMatch, k.PrevMatch, k.Contents, k.Links},
		{k.Answer, k.AnswerAgain, k.Lab, k.Next, k.Back, k.Help, quitKey()},
	}
}

// searchKeys are the keys while a search is typed.
type searchKeys struct{ Confirm, Cancel key.Binding }

func (k searchKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Confirm, k.Cancel} }
func (k searchKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Confirm, k.Cancel}} }

func newLessonKeys() lessonKeys {
	return lessonKeys{
		Up: upKey(), Down: downKey(), PageUp: pageUpKey(), PageDown: pageDownKey(),
		Top: topKey(), Bottom: bottomKey(),
		Answer:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "answer the next question")),
		AnswerAgain: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "answer the question in view again")),
		Next:        key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next lesson")),
		// q leaves the lesson, as in less and glow; ctrl+c quits.
		Back:      key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "back to the map")),
		Help:      helpKey(),
		Search:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		NextMatch: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		PrevMatch: key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		Contents:  key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "contents")),
		Links:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "linked lessons")),
		Lab:       key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "open the lab")),
	}
}

// lessonScreen reads one lesson: its markdown rendered by glamour, with a
// card where each question stands.
type lessonScreen struct {
	sh       *shared
	lesson   *lessons.Lesson
	keys     lessonKeys
	vp       pager
	width    int
	height   int
	markdown string      // the body with a marker line where each question stands
	source   contentHash // of markdown, hashed once
	// key is the render being shown; want the one wanted for the current
	// width and theme. While they differ the old render stays on screen.
	key, want renderKey
	rendered  string
	cards     []int // content line where each question's card starts
	labCards  []int // content line where each lab's card starts
	attempts  map[string]progress.Attempt
	scroll    int // wanted scroll offset, applied when content arrives; -1 none
	restored  bool
	completed bool
	// lines is the composed content before search highlighting.
	lines  []string
	plain  []string  // lines without styling, lowercased, for search
	cols   [][]int32 // cell columns of plain's bytes, counted when a search needs them
	search lessonSearch
	picker *picker // contents or links, when open
	panel  int     // width of the side panel with the module's lessons; 0 when narrow
	// opened is when reading began, for the time-spent stat.
	opened time.Time
	// peek is a linked lesson opened from another: it starts (and becomes
	// the one to continue) only once the learner reads on in it.
	peek, engaged bool
}

// lessonSearch is an in-lesson search: the query, where it matches, and
// which match is current.
type lessonSearch struct {
	typing bool
	// input is shared by copies of the screen and never changed in place:
	// edit gives a copy to change. The screen is copied on every key, and
	// a text field is most of its size.
	input   *textinput.Model
	query   string
	matches []match
	current int
}

// match is one hit: a content line and the cell columns it spans; a
// phrase that wraps goes on at the start of the next line, over tail
// columns of it.
type match struct{ line, start, end, tail int }

func markerFor(i int) string    { return fmt.Sprintf("srvsdq%dmark", i) }
func labMarkerFor(i int) string { return fmt.Sprintf("srvsdl%dmark", i) }

const endMarker = "srvsdendmark"

// lessonMarkdown is the body with a marker line where each question stands
// and one at the end, so cards can replace them after rendering.
func lessonMarkdown(l *lessons.Lesson) string {
	type mark struct {
		off  int
		text string
	}
	var marks []mark
	for i, q := range l.Questions {
		marks = append(marks, mark{q.Offset, markerFor(i)})
	}
	for i, lab := range l.Labs {
		marks = append(marks, mark{lab.Offset, labMarkerFor(i)})
	}
	sort.SliceStable(marks, func(i, j int) bool { return marks[i].off < marks[j].off })
	var md strings.Builder
	prev := 0
	for _, mk := range marks {
		md.WriteString(l.Body[prev:mk.off])
		md.WriteString("\n\n" + mk.text + "\n\n")
		prev = mk.off
	}
	md.WriteString(l.Body[prev:])
	md.WriteString("\n\n" + endMarker + "\n")
	return md.String()
}

// reload shows a new version of the lesson (an author saved it) at the
// same scroll position; the old render stays until the new one arrives.
func (s lessonScreen) reload(l *lessons.Lesson) (lessonScreen, tea.Cmd) {
	s.lesson = l
	s.markdown = lessonMarkdown(l)
	s.source = hashText(s.markdown)
	return s, s.refresh()
}

func newLessonScreen(sh *shared, l *lessons.Lesson, scroll int) lessonScreen {
	md := lessonMarkdown(l)
	if scroll < 0 {
		scroll = sh.states[l.ID].Scroll
	}
	in := newTextInput()
	in.Prompt = "/"
	in.Placeholder = "search this lesson"
	return lessonScreen{sh: sh, lesson: l, keys: newLessonKeys(), markdown: md, source: hashText(md), scroll: scroll, opened: time.Now(),
		attempts: map[string]progress.Attempt{}, search: lessonSearch{input: &in}}
}

// edit is the search field to change, a copy of the one the screen's
// earlier copies share.
func (f *lessonSearch) edit() *textinput.Model {
	in := *f.input
	f.input = &in
	return f.input
}

// panelWidth is the side panel's width: shown only when the text can
// still have its full reading width beside it.
const panelWidth = 30

// textWidth is the width text is wrapped to.
func (s lessonScreen) textWidth() int { return max(20, min(s.width-s.panel-2, maxTextWidth)) }

func (s lessonScreen) Title() string { return s.lesson.Title }

func (s lessonScreen) Keys() helpKeyMap {
	switch {
	case s.search.typing:
		return searchKeys{
			Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep matches")),
			Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel search")),
		}
	case s.picker != nil:
		return s.picker.keys
	}
	return s.keys
}

// Typing is true while a search is typed, so q and ? go into it.
func (s lessonScreen) Typing() bool { return s.search.typing }

// Position is the reading position for the status line, and the current
// match when searching.
func (s lessonScreen) Position() string {
	if s.rendered == "" {
		return ""
	}
	pos := fmt.Sprintf("%3.f%% ", s.vp.ScrollPercent()*100)
	if s.search.query != "" {
		if n := len(s.search.matches); n > 0 {
			pos = fmt.Sprintf("%d/%d · %s", s.search.current+1, n, pos)
		} else {
			pos = "no match · " + pos
		}
	}
	return pos
}

func (s lessonScreen) SetSize(w, h int) screen {
	s.width, s.height = w, h
	s.panel = 0
	if w >= maxTextWidth+panelWidth+4 {
		s.panel = panelWidth + 1 // and its border
	}
	s.search.edit().SetWidth(max(10, w-s.panel-4))
	s.vp.SetHeight(h)
	s.want = renderKey{content: s.source, width: s.textWidth(), theme: s.sh.theme}
	return s
}

// init starts the work a freshly opened lesson needs: its render, its
// attempts, and marking it started.
func (s lessonScreen) init() tea.Cmd {
	store, sc, id, l := s.sh.progress, s.sh.store, s.lesson.ID, s.lesson
	if s.peek {
		return tea.Batch(s.refresh(), loadAttempts(s.sh, id))
	}
	complete := completeIfDone(s.sh, l, false)
	return tea.Batch(
		s.refresh(),
		loadAttempts(s.sh, id),
		loadLabCounts(s.sh, s.lesson),
		func() tea.Msg {
			ctx, cancel := sc.write()
			defer cancel()
			if err := store.StartLesson(ctx, id); err != nil {
				return errMsg{fmt.Errorf("saving progress: %w", err)}
			}
			if len(l.Questions) > 0 {
				// Answers given before done was one rule (in review, say)
				// may have finished the lesson already.
				if msg := complete(); msg != nil {
					return msg
				}
			}
			return lessonDoneMsg{} // states changed: reload them
		},
	)
}

type attemptsMsg struct {
	lessonID string
	attempts map[string]progress.Attempt
}

func loadAttempts(sh *shared, id string) tea.Cmd {
	store, sc := sh.progress, sh.store
	return func() tea.Msg {
		ctx, cancel := sc.with()
		defer cancel()
		a, err := store.Latest(ctx, id)
		if err != nil {
			return errMsg{fmt.Errorf("reading answers: %w", err)}
		}
		return attemptsMsg{lessonID: id, attempts: a}
	}
}

// refresh asks for the render that fits the current width and theme, from
// the cache when it has it.
func (s lessonScreen) refresh() tea.Cmd {
	if s.width == 0 {
		return nil
	}
	s.want = renderKey{content: s.source, width: s.textWidth(), theme: s.sh.theme}
	if out, ok := s.sh.renders.get(s.want); ok {
		k := s.want
		return func() tea.Msg { return renderedMsg{key: k, out: out} }
	}
	return s.renderCmd()
}

func (s lessonScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case renderedMsg:
		want := renderKey{content: s.source, width: s.textWidth(), theme: s.sh.theme}
		if msg.key.content != want.content {
			return s, nil // another lesson's render
		}
		if msg.err != nil {
			return s, func() tea.Msg { return errMsg{fmt.Errorf("rendering %s: %w", s.lesson.Path, msg.err)} }
		}
		if msg.key != want {
			return s, nil // stale width or theme: keep what is on screen
		}
		s.key, s.rendered = msg.key, msg.out
		s.compose()
		// A lesson that fits on one screen is read once it is shown.
		return s, s.maybeComplete()
	case labCountsMsg:
		if s.takeLabCounts(msg) {
			s.compose()
		}
		return s, nil
	case attemptsMsg:
		if msg.lessonID == s.lesson.ID {
			s.attempts = msg.attempts
			s.compose()
		}
		return s, nil
	case attemptSavedMsg:
		if msg.attempt.LessonID == s.lesson.ID && msg.err == nil {
			s.attempts[msg.attempt.QuestionID] = msg.attempt
			s.compose()
		}
		return s, nil
	case tea.PasteMsg:
		if s.search.typing {
			var cmd tea.Cmd
			var in textinput.Model
			in, cmd = s.search.input.Update(msg)
			s.search.input = &in
			s.runSearch(s.search.input.Value())
			return s, cmd
		}
	case tea.KeyPressMsg:
		if s.peek && !s.engaged && s.picker == nil && !s.search.typing &&
			(key.Matches(msg, s.keys.Down, s.keys.Up, s.keys.PageDown, s.keys.PageUp, s.keys.Top, s.keys.Bottom,
				s.keys.Answer, s.keys.AnswerAgain, s.keys.Lab, s.keys.NextMatch, s.keys.PrevMatch)) {
			// Reading on in a linked lesson (or answering in it) makes it
			// the learner's; looking at its contents or links does not.
			s.engaged = true
		}
		if s.search.typing {
			return s.updateSearchInput(msg)
		}
		if s.picker != nil {
			return s.updatePicker(msg)
		}
		switch {
		case key.Matches(msg, s.keys.Back) && s.search.query != "":
			s.runSearch("")
			return s, nil
		case key.Matches(msg, s.keys.Back):
			return s, tea.Batch(s.saveScroll(), s.sh.ask(backMsg{}))
		case key.Matches(msg, s.keys.Search):
			// A new search starts empty; n and N still step through the
			// last one until something is typed.
			s.search.typing = true
			in := s.search.edit()
			in.SetValue("")
			return s, in.Focus()
		case key.Matches(msg, s.keys.NextMatch):
			s.gotoMatch(s.search.current + 1)
		case key.Matches(msg, s.keys.PrevMatch):
			s.gotoMatch(s.search.current - 1)
		case key.Matches(msg, s.keys.Contents):
			s.picker = s.contentsPicker()
		case key.Matches(msg, s.keys.Links):
			s.picker = s.linksPicker()
			if s.picker == nil {
				return s, func() tea.Msg { return statusMsg{"This lesson links to no other lesson."} }
			}
		case key.Matches(msg, s.keys.Up):
			s.vp.ScrollUp(1)
		case key.Matches(msg, s.keys.Down):
			s.vp.ScrollDown(1)
		case key.Matches(msg, s.keys.PageUp):
			s.vp.PageUp()
		case key.Matches(msg, s.keys.PageDown):
			s.vp.PageDown()
		case key.Matches(msg, s.keys.Top):
			s.vp.GotoTop()
		case key.Matches(msg, s.keys.Bottom):
			s.vp.GotoBottom()
		case key.Matches(msg, s.keys.Answer):
			cmd := s.answer(false)
			return s, cmd
		case key.Matches(msg, s.keys.AnswerAgain):
			cmd := s.answer(true)
			return s, cmd
		case key.Matches(msg, s.keys.Lab):
			return s, s.openLab(-1)
		case key.Matches(msg, s.keys.Next):
			return s, s.nextLesson()
		}
		return s, s.maybeComplete()
	case tea.MouseWheelMsg:
		s.engaged = true
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(msg)
		return s, tea.Batch(cmd, s.maybeComplete())
	}
	return s, nil
}

// onQuit saves where the learner is before the program ends.
func (s lessonScreen) onQuit() tea.Cmd { return s.saveScroll() }

// maxSession caps the reading time counted for one visit, so a lesson
// left open overnight doesn't count as a night of study.
const maxSession = 30 * time.Minute

// saveScroll records where the learner is and the time spent reading
// since the lesson opened (or since the last save).
func (s *lessonScreen) saveScroll() tea.Cmd {
	if s.peek && !s.engaged {
		return nil // a look, not a start
	}
	store, sc, id := s.sh.progress, s.sh.store, s.lesson.ID
	// Before the text is shown there is no new place: keep the old one.
	off := max(0, s.scroll)
	if s.restored && len(s.lines) > 0 {
		off = s.placeAt(s.vp.YOffset()).encode()
	}
	spent := int(min(time.Since(s.opened), maxSession) / time.Second)
	s.opened = time.Now()
	return func() tea.Msg {
		ctx, cancel := sc.write()
		defer cancel()
		if err := store.SaveScroll(ctx, id, off); err != nil {
			return errMsg{fmt.Errorf("saving your place: %w", err)}
		}
		if spent > 0 {
			if err := store.AddTime(ctx, id, spent); err != nil {
				return errMsg{fmt.Errorf("saving reading time: %w", err)}
			}
		}
		return nil
	}
}

// maybeComplete marks a lesson without questions done once it has been
// read to the end; lessons with questions are done when their quiz is.
func (s *lessonScreen) maybeComplete() tea.Cmd {
	if s.peek && !s.engaged {
		return nil
	}
	if s.completed || len(s.lesson.Questions) > 0 || s.rendered == "" || !s.vp.AtBottom() {
		return nil
	}
	s.completed = true
	return completeIfDone(s.sh, s.lesson, true)
}

// answer opens the question the learner means: the first card in view not
// yet answered right, else the next such card below, else the first such
// card above; with every question answered right, the next lesson. again
// (the a key) opens the first card in view whatever its state. A lab card
// in view above the question opens the lab. The quiz shows that one
// question and comes back here, to the card in the text.
func (s *lessonScreen) answer(again bool) tea.Cmd {
	if len(s.lesson.Questions) == 0 && len(s.lesson.Labs) == 0 {
		if s.vp.AtBottom() {
			return s.nextLesson()
		}
		s.vp.PageDown()
		return nil
	}
	top, bottom := s.vp.YOffset(), s.vp.YOffset()+s.height
	inView := func(line int) bool { return line >= top && line < bottom }
	open := func(i int) bool {
		a, ok := s.attempts[s.lesson.Questions[i].ID]
		return again || !ok || !a.Correct
	}
	from := -1
	for i, line := range s.cards {
		if inView(line) && open(i) {
			from = i
			break
		}
	}
	for i, line := range s.labCards {
		if inView(line) && (from < 0 || line < s.cards[from]) {
			return s.openLab(i)
		}
	}
	if from < 0 && !again {
		for i, line := range s.cards {
			if line >= bottom && open(i) {
				from = i
				break
			}
		}
		for i := range s.cards {
			if from < 0 && open(i) {
				from = i
			}
		}
	}
	if from < 0 {
		if again {
			return nil
		}
		return s.nextLesson()
	}
	if line := s.cards[from]; !inView(line) {
		// Coming back, the learner finds the card where it stands.
		s.vp.SetYOffset(max(0, line-2))
	}
	id := s.lesson.ID
	return tea.Batch(s.saveScroll(), s.sh.ask(openQuizMsg{lessonID: id, from: from, card: true}))
}

// openLab asks the root to open lab i of this lesson: the first lab in
// view when i < 0.
func (s lessonScreen) openLab(i int) tea.Cmd {
	if len(s.lesson.Labs) == 0 {
		return func() tea.Msg { return statusMsg{"This lesson has no lab."} }
	}
	if i < 0 {
		i = 0
		for j, line := range s.labCards {
			if line >= s.vp.YOffset() {
				i = j
				break
			}
		}
	}
	id, lab := s.lesson.ID, s.lesson.Labs[i].ID
	return tea.Batch(s.saveScroll(), s.sh.ask(openLabMsg{lessonID: id, labID: lab}))
}

func (s lessonScreen) nextLesson() tea.Cmd {
	next := s.sh.course.Next(s.lesson.ID)
	if next == nil {
		return func() tea.Msg { return statusMsg{"That was the last lesson of the course."} }
	}
	id := next.ID
	// The root makes the switches in order: back, then open.
	save := s.saveScroll()
	s.sh.ask(backMsg{})
	s.sh.ask(openLessonMsg{id: id, scroll: -1})
	return save
}

// compose builds the viewport content: the render, centred, with question
// cards where the markers stand.
func (s *lessonScreen) compose() {
	if s.rendered == "" {
		return
	}
	// Where the reader is, as a place in the source, before the lines
	// change under it.
	keep := place{anchor: -1}
	if s.restored && len(s.lines) > 0 {
		keep = s.placeAt(s.vp.YOffset())
	}
	tw := s.key.width
	pad := strings.Repeat(" ", max(0, (s.width-s.panel-tw)/2))
	lines := strings.Split(strings.TrimRight(s.rendered, "\n"), "\n")
	var out []string
	s.cards = make([]int, len(s.lesson.Questions))
	s.labCards = make([]int, len(s.lesson.Labs))
	for _, line := range lines {
		if !strings.Contains(line, "srvsd") {
			out = append(out, pad+line)
			continue
		}
		plain := strings.TrimSpace(ansi.Strip(line))
		if plain == endMarker {
			for _, c := range strings.Split(s.endCard(tw), "\n") {
				out = append(out, pad+c)
			}
			continue
		}
		if i, ok := labMarkerIndex(plain); ok && i < len(s.lesson.Labs) {
			s.labCards[i] = len(out)
			for _, c := range strings.Split(s.labCard(i, tw), "\n") {
				out = append(out, pad+c)
			}
			continue
		}
		if i, ok := markerIndex(plain); ok && i < len(s.lesson.Questions) {
			s.cards[i] = len(out)
			for _, c := range strings.Split(s.card(i, tw), "\n") {
				out = append(out, pad+c)
			}
			continue
		}
		out = append(out, pad+line)
	}
	s.lines, s.plain = out, nil
	s.vp.SetLineCount(len(out))
	s.runSearch(s.search.query)
	saved, isPlace := decodePlace(s.scroll)
	switch {
	case !s.restored && s.search.query != "" && len(s.search.matches) > 0:
		s.gotoMatch(0)
	case !s.restored && isPlace:
		s.vp.SetYOffset(s.lineOf(saved))
	case !s.restored && s.scroll > 0:
		s.vp.SetYOffset(s.scroll) // saved as a screen line by an earlier version
	case s.restored:
		s.vp.SetYOffset(s.lineOf(keep))
	}
	s.restored = true
}

func labMarkerIndex(s string) (int, bool) {
	var i int
	if n, err := fmt.Sscanf(s, "srvsdl%dmark", &i); err == nil && n == 1 && s == labMarkerFor(i) {
		return i, true
	}
	return 0, false
}

// labCard shows where a lab stands in the text.
func (s lessonScreen) labCard(i, width int) string {
	st := s.sh.styles
	lab := s.lesson.Labs[i]
	inner := max(10, width-6)
	kinds := map[string]string{"http": "talk to a real server", "sql": "query a real database", "build": "check your own service"}
	title := lab.Title
	if title == "" {
		title = lab.ID
	}
	head := st.CardTitle.Render("Lab: "+title) + st.Subtle.Render(" · "+kinds[lab.Kind])
	body := st.Subtle.Render("press enter (or L) to open the lab")
	if p := labCardProgress(s.sh, s.lesson.ID, lab); p != "" {
		body = st.Done.Render(p) + st.Subtle.Render(" · press enter (or L) to open the lab")
	}
	return "  " + strings.ReplaceAll(st.Card.Width(inner+4).Render(head+"\n"+body), "\n", "\n  ")
}

func markerIndex(s string) (int, bool) {
	var i int
	if n, err := fmt.Sscanf(s, "srvsdq%dmark", &i); err == nil && n == 1 && s == markerFor(i) {
		return i, true
	}
	return 0, false
}

// cardKey is what a card's drawing depends on. A lesson read again (an
// author saved the course) is another pointer, so its cards are drawn
// anew.
type cardKey struct {
	lesson            *lessons.Lesson
	question, width   int // question -1: the end card
	theme             render.Theme
	answered, correct bool
	// The end card's: latest answers right of how many, whether the
	// lesson is done, the next lesson (its title shows).
	right, of int
	done      bool
	next      *lessons.Lesson
}

// card draws a question's place in the text, from the cache when the
// same card was drawn before: reopening a lesson redraws every card.
func (s lessonScreen) card(i, width int) string {
	a, answered := s.attempts[s.lesson.Questions[i].ID]
	k := cardKey{lesson: s.lesson, question: i, width: width, theme: s.sh.theme, answered: answered, correct: a.Correct}
	return s.cachedCard(k, func() string { return s.drawCard(i, width) })
}

func (s lessonScreen) cachedCard(k cardKey, draw func() string) string {
	if c, ok := s.sh.cards[k]; ok {
		return c
	}
	c := draw()
	if s.sh.cards == nil || len(s.sh.cards) > 4096 { // widths come and go as the window is resized
		s.sh.cards = map[cardKey]string{}
	}
	s.sh.cards[k] = c
	return c
}

// drawCard draws a question's place in the text: its prompt and whether it
// has been answered.
func (s lessonScreen) drawCard(i, width int) string {
	st := s.sh.styles
	q := s.lesson.Questions[i]
	inner := max(10, width-6)
	head := st.CardTitle.Render(fmt.Sprintf("Question %d of %d", i+1, len(s.lesson.Questions))) + st.Subtle.Render(" · "+typeLabel(q.Type))
	var status string
	if a, ok := s.attempts[q.ID]; ok {
		if a.Correct {
			status = st.Good.Render("✓ answered correctly") + st.Subtle.Render(" · a to answer again")
		} else {
			status = st.Bad.Render("✗ not yet right") + st.Subtle.Render(" · enter to try again")
		}
	} else {
		status = st.Subtle.Render("press enter to answer")
	}
	prompt := st.questionText(q.Prompt, inner, st.Prompt)
	return "  " + strings.ReplaceAll(st.Card.Width(inner+4).Render(head+"\n"+prompt+"\n"+status), "\n", "\n  ")
}

// endCard closes the lesson: how many answers are right and what comes
// next, from the cache when the same card was drawn before (every open
// and every answer composes the lesson again).
func (s lessonScreen) endCard(width int) string {
	latest := map[string]bool{}
	for id, a := range s.attempts {
		latest[id] = a.Correct
	}
	right, n := lessons.RightOf(s.lesson, latest)
	done := s.sh.states[s.lesson.ID].Status == progress.Done || (n > 0 && right == n)
	next := s.sh.course.Next(s.lesson.ID)
	k := cardKey{lesson: s.lesson, question: -1, width: width, theme: s.sh.theme, right: right, of: n, done: done, next: next}
	return s.cachedCard(k, func() string { return s.drawEndCard(width, right, n, done, next) })
}

func (s lessonScreen) drawEndCard(width, right, n int, done bool, next *lessons.Lesson) string {
	st := s.sh.styles
	inner := max(10, width-6)
	var text string
	title := "End of the lesson"
	if next == nil {
		title = "End of the course"
	}
	switch {
	case n > 0 && !done:
		text = fmt.Sprintf("%d of %d latest answers right. Press enter to answer the rest: the lesson is done when all %d are right.", right, n, n)
	case n > 0 && right < n:
		text = fmt.Sprintf("✓ Lesson done. Since then %d of %d latest answers are right: press enter to answer the others again.", right, n)
	case n > 0:
		text = fmt.Sprintf("✓ Lesson done: all %d latest answers are right.", n)
	default:
		text = "✓ Lesson done: read to the end."
	}
	switch {
	case next != nil && right < n:
		text += " Press ] for the next lesson: " + next.Title
	case next != nil:
		text += " Press enter for the next lesson: " + next.Title
	default:
		text += " That was the last lesson: press esc for the course map."
	}
	return "  " + strings.ReplaceAll(st.Card.Width(inner+4).Render(lipgloss.NewStyle().Width(inner).Render(st.CardTitle.Render(title)+"\n"+text)), "\n", "\n  ")
}

func typeLabel(t lessons.QuestionType) string {
	switch t {
	case lessons.Single:
		return "one answer"
	case lessons.Multi:
		return "several answers"
	case lessons.TrueFalse:
		return "true or false"
	case lessons.Short:
		return "short answer"
	case lessons.Numeric:
		return "a number"
	case lessons.Order:
		return "put in order"
	}
	return string(t)
}

func (s lessonScreen) View() string {
	if s.rendered == "" {
		return "\n  " + s.sh.styles.Subtle.Render("Rendering "+s.lesson.Title+"…")
	}
	off := min(s.vp.YOffset(), len(s.lines))
	end := min(off+s.height, len(s.lines))
	win := make([]string, 0, s.height)
	win = append(win, s.lines[off:end]...)
	s.highlightMatches(win, off) // only the lines in view
	for len(win) < s.height {
		win = append(win, "")
	}
	body := strings.Join(win, "\n")
	if s.lesson.Stale != nil {
		// Wrapped, not cut: the reason is what the author needs to read.
		w := s.width - s.panel
		text := lipgloss.NewStyle().Width(max(10, w-2)).Render("⚠ showing the last good version: " + render.TerminalSafe(s.lesson.Stale.Error(), false))
		banner := strings.Split(text, "\n")
		if limit := max(1, s.height/3); len(banner) > limit {
			banner = banner[:limit]
			banner[limit-1] = ansi.Truncate(banner[limit-1], max(1, w-3), "") + "…"
		}
		lines := strings.Split(body, "\n")
		for i, b := range banner {
			if i < len(lines) {
				lines[i] = s.sh.styles.StatusErr.Width(w).Render(" " + b)
			}
		}
		body = strings.Join(lines, "\n")
	}
	if s.picker != nil {
		body = s.picker.view(s.sh.styles, s.width-s.panel, s.height)
	}
	if s.search.typing {
		lines := strings.Split(body, "\n")
		if len(lines) > 0 {
			lines[len(lines)-1] = " " + themedInput(*s.search.input, s.sh.theme)
		}
		body = strings.Join(lines, "\n")
	}
	if s.panel > 0 {
		return lipgloss.JoinHorizontal(lipgloss.Top, s.panelView(), body)
	}
	return body
}

// panelView lists the module's lessons beside the text on wide terminals.
func (s lessonScreen) panelView() string {
	st := s.sh.styles
	mod := s.sh.course.Module(s.lesson.Module)
	var b strings.Builder
	if mod != nil {
		b.WriteString(" " + st.Module.Render(ansi.Truncate(mod.Title, panelWidth-2, "…")) + "\n\n")
		for _, l := range mod.Lessons {
			mark := st.Todo.Render("○")
			switch s.sh.states[l.ID].Status {
			case progress.Done:
				mark = st.Done.Render("●")
			case progress.InProgress:
				mark = st.Partial.Render("◐")
			}
			title := ansi.Truncate(l.Title, panelWidth-5, "…")
			if l.ID == s.lesson.ID {
				title = st.Selected.Render(title)
			} else {
				title = st.Subtle.Render(title)
			}
			b.WriteString(" " + mark + " " + title + "\n")
		}
	}
	return lipgloss.NewStyle().Width(panelWidth).Height(s.height).MaxHeight(s.height).
		BorderStyle(lipgloss.NormalBorder()).BorderRight(true).BorderForeground(st.Accent).Render(b.String())
}
