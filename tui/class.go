package tui

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/termsafe"
)

// classScreen is the instructor's live view of the room: who is online,
// where each learner is, how far they got, their last answer, and the
// questions learners flagged. It follows the class as answers arrive.
type classScreen struct {
	sh            *shared
	keys          pageKeys
	width, height int
	snap          *ClassSnapshot
	err           error
	sc            scroller
	// stop ends the subscription to the class's changes when the screen
	// closes; changes is that subscription.
	stop    context.CancelFunc
	changes <-chan struct{}
}

// Messages of the class view: a snapshot read, and "the class changed".
type (
	classMsg struct {
		snap ClassSnapshot
		err  error
	}
	classChangedMsg struct{ changes <-chan struct{} }
)

func newClassScreen(sh *shared) classScreen {
	ctx, stop := context.WithCancel(sh.store.ctx)
	return classScreen{sh: sh, keys: newPageKeys(),
		stop: stop, changes: sh.class.Subscribe(ctx)}
}

func (s classScreen) init() tea.Cmd {
	return tea.Batch(s.read(), waitClass(s.changes))
}

// read takes a snapshot of the class.
func (s classScreen) read() tea.Cmd {
	class, sc := s.sh.class, s.sh.store
	return func() tea.Msg {
		snap, err := do(sc, class.Snapshot)
		return classMsg{snap: snap, err: err}
	}
}

// waitClass waits for the class to change; a closed subscription (the
// screen closed, the session ended) ends the wait with nothing.
func waitClass(ch <-chan struct{}) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		if _, ok := <-ch; !ok {
			return nil
		}
		return classChangedMsg{ch}
	}
}

func (s classScreen) Title() string           { return "Class" }
func (s classScreen) Keys() helpKeyMap        { return s.keys }
func (s classScreen) SetSize(w, h int) screen { s.width, s.height = w, h; return s }

// onQuit ends the subscription when the tutor quits with the view open.
func (s classScreen) onQuit() tea.Cmd {
	s.stop()
	return nil
}

func (s classScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case classMsg:
		if msg.err != nil {
			s.err = msg.err
			return s, nil
		}
		s.snap, s.err = &msg.snap, nil
	case classChangedMsg:
		if msg.changes != s.changes {
			return s, nil
		}
		return s, tea.Batch(s.read(), waitClass(s.changes))
	case tea.KeyPressMsg:
		if key.Matches(msg, s.keys.Back) {
			s.stop()
			return s, s.sh.ask(backMsg{})
		}
		s.sc, _ = s.sc.update(msg, s.keys.Scroll, lineCount(s.content()), s.viewHeight())
	case tea.MouseWheelMsg:
		s.sc, _ = s.sc.update(msg, s.keys.Scroll, lineCount(s.content()), s.viewHeight())
	}
	return s, nil
}

func (s classScreen) viewHeight() int { return max(1, s.height-2) }

func (s classScreen) View() string {
	if s.snap == nil {
		text := "Reading the class…"
		if s.err != nil {
			text = "The class could not be read: " + termsafe.Line(s.err.Error())
		}
		return "\n  " + s.sh.styles.Subtle.Render(text)
	}
	return lipgloss.NewStyle().Padding(1, 2).Render(s.sc.window(s.sh.styles, s.content(), s.viewHeight()))
}

// content is the whole class page, before the window cuts it. Names,
// lesson ids and comments come from learners: they pass the sanitiser.
func (s classScreen) content() string {
	st := s.sh.styles
	if s.snap == nil {
		return ""
	}
	w := max(30, min(s.width-4, 120))
	rows := slices.Clone(s.snap.Learners)
	// Who is here now first, then everyone else; by name within each.
	slices.SortFunc(rows, func(a, b ClassLearner) int {
		if a.Online != b.Online {
			if a.Online {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	online := 0
	for _, r := range rows {
		if r.Online {
			online++
		}
	}
	total := 0
	for _, m := range s.sh.course.Modules {
		total += len(m.Lessons)
	}
	var b strings.Builder
	head := fmt.Sprintf("%d learner%s, %d online", len(rows), plural(len(rows)), online)
	b.WriteString(st.Title.Render("Class") + "  " + st.Subtle.Render(head) + "\n")
	b.WriteString(wrapIndent(st.Subtle.Render("Updated "+s.snap.At.Format("15:04:05")+"; follows the class as answers arrive."), w, "") + "\n\n")
	if s.err != nil {
		b.WriteString(st.Bad.Render(ansi.Truncate("Last refresh failed: "+termsafe.Line(s.err.Error()), w, "…")) + "\n\n")
	}
	if len(rows) == 0 {
		b.WriteString(st.Subtle.Render("Nobody has joined yet.") + "\n")
	}
	// Columns: mark, name, lesson, done, last answer, labs. The lesson
	// column takes what is left; at 40 columns each learner takes two
	// lines.
	nameW := min(16, max(8, w/5))
	doneW, lastW, labsW := 7, 14, 5
	lessonW := w - 2 - nameW - doneW - lastW - labsW - 4
	narrow := lessonW < 12
	if !narrow {
		b.WriteString(st.Subtle.Render(fmt.Sprintf("  %-*s %-*s %*s %-*s %*s", nameW, "Learner", lessonW, "Lesson", doneW, "Done", lastW, "Last answer", labsW, "Labs")) + "\n")
	}
	now := time.Now()
	for _, r := range rows {
		mark := st.Todo.Render("○")
		if r.Online {
			mark = st.Done.Render("●")
		}
		name := ansi.Truncate(termsafe.Line(r.Name), nameW, "…")
		lesson := "–"
		if r.Lesson != "" {
			lesson = termsafe.Line(r.Lesson)
			if l := s.sh.course.Lesson(r.Lesson); l != nil {
				lesson = l.Title
			}
		}
		done := fmt.Sprintf("%d/%d", r.Done, total)
		last := "–"
		if !r.LastAnswer.IsZero() {
			last = "✗ " + sinceText(r.LastAnswer, now)
			if r.LastRight {
				last = "✓ " + sinceText(r.LastAnswer, now)
			}
		}
		labs := fmt.Sprint(r.LabTasks)
		if narrow {
			full := termsafe.Line(r.Name)
			b.WriteString(mark + " " + ansi.Truncate(st.Lesson.Render(full)+st.Subtle.Render(" · "+lesson), w-2, "…") + "\n")
			b.WriteString("  " + st.Subtle.Render(ansi.Truncate(fmt.Sprintf("%s done · %s · %s labs", done, last, labs), w-2, "…")) + "\n")
			continue
		}
		b.WriteString(fmt.Sprintf("%s %s %s %s %s %s\n", mark,
			st.Lesson.Render(padRight(name, nameW)),
			padRight(ansi.Truncate(lesson, lessonW, "…"), lessonW),
			st.Subtle.Render(padLeft(done, doneW)),
			padRight(last, lastW),
			st.Subtle.Render(padLeft(labs, labsW))))
	}
	b.WriteString("\n" + st.Module.Render(fmt.Sprintf("Flagged questions (%d)", len(s.snap.Flags))) + "\n")
	if len(s.snap.Flags) == 0 {
		b.WriteString(st.Subtle.Render("None: learners flag a question they think is wrong with F.") + "\n")
	}
	for _, f := range s.snap.Flags {
		where := f.LessonID + "/" + f.QuestionID
		if l := s.sh.course.Lesson(f.LessonID); l != nil {
			where = l.Title + " · " + f.QuestionID
		}
		line := termsafe.Line(f.User) + " · " + termsafe.Line(where)
		when := "  " + sinceText(f.At, now)
		b.WriteString(st.Lesson.Render(ansi.Truncate(line, max(1, w-ansi.StringWidth(when)), "…")) + st.Subtle.Render(when) + "\n")
		if c := strings.TrimSpace(f.Comment); c != "" {
			b.WriteString(wrapIndent(st.Subtle.Render("“"+termsafe.Line(c)+"”"), w, "  ") + "\n")
		}
	}
	return b.String()
}

func (c classScreen) Typing() bool     { return false } // no text field
func (c classScreen) refresh() tea.Cmd { return nil }   // nothing depends on the theme beyond View
func (c classScreen) Position() string { return "" }    // no position to show
