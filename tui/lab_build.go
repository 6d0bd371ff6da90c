package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/labs"
	"serverside/lessons"
	"serverside/progress"
	"serverside/render"
)

type buildLabKeys struct {
	Run, Focus, Switch, Up, Down, PageUp, PageDown, Back, Help key.Binding
	typing                                                     bool
}

func (k buildLabKeys) ShortHelp() []key.Binding {
	if k.typing {
		return []key.Binding{k.Run, k.Focus, k.Back, k.Help}
	}
	return []key.Binding{k.Run, k.Focus, k.Switch, k.Back, k.Help}
}

func (k buildLabKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Run, k.Focus, k.Switch}, {k.Up, k.Down, k.PageUp, k.PageDown}, {k.Back, k.Help, quitKey()}}
}

func newBuildLabKeys() buildLabKeys {
	return buildLabKeys{
		Run:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "check")),
		Focus:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "address")),
		Switch:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "spec/results")),
		Up:       upKey(),
		Down:     downKey(),
		PageUp:   pageUpKey(),
		PageDown: pageDownKey(),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave the lab")),
		Help:     helpKey(),
	}
}

// buildLabScreen shows a build lab's specification and checks the
// learner's own service, stage by stage, as the checker reports.
type buildLabScreen struct {
	sh       *shared
	key      labKey
	spec     labs.BuildSpec
	lab      labs.BuildLab
	keys     buildLabKeys
	addr     textinput.Model
	rendered string
	want     renderKey
	// A running check: its results arrive on events; cancel stops it.
	running  bool
	events   chan tea.Msg
	stopped  <-chan struct{}
	cancel   context.CancelFunc
	stages   []labs.StageResult
	activity string
	report   *labs.Report
	// last is the learner's previous check, as stored, until a new one
	// runs; edited is set once the learner changed the address.
	last     *progress.LabBuild
	edited   bool
	showSpec bool
	// inputTheme is the theme the address field is styled for.
	inputTheme render.Theme
	scroll     int
	width      int
	height     int
}

type (
	buildStageMsg struct {
		events chan tea.Msg
		run    labs.StageResult
	}
	buildDoneMsg struct {
		events chan tea.Msg
		report labs.Report
		err    error
	}
)

func newBuildLabScreen(sh *shared, l *lessons.Lesson, spec labs.BuildSpec) buildLabScreen {
	in := newTextInput()
	in.SetStyles(textInputStyles(sh.theme))
	in.Prompt = "Address: "
	in.SetValue("127.0.0.1:8080")
	lab, err := labs.FindBuildLab(spec.Lab)
	s := buildLabScreen{sh: sh, inputTheme: sh.theme, key: labKey{l.ID, spec.ID}, spec: spec, lab: lab, keys: newBuildLabKeys(), addr: in, showSpec: true}
	if err != nil {
		// Lint refuses such a block; a lesson edited under a running
		// tutor can still name one. Say so rather than check nothing.
		s.activity = err.Error() + ": fix the lab block's lab key"
	}
	if !sh.labPol.Build {
		// Over SSH the service runs on the learner's machine, which this
		// one cannot reach, and dialling this machine's loopback for them
		// would probe the server instead: the check runs over there.
		s.keys.Run.SetHelp("enter", "how to check")
		s.keys.Focus.SetEnabled(false)
	}
	for _, st := range lab.Stages() {
		s.stages = append(s.stages, labs.StageResult{ID: st.ID, Title: st.Title})
	}
	for i := range s.stages {
		s.stages[i].Index = i
	}
	return s
}

// buildLabOpenedMsg asks the screen, once the root has sized it, to
// render its specification.
type buildLabOpenedMsg struct{ key labKey }

func (s buildLabScreen) init() tea.Cmd {
	k := s.key
	return tea.Batch(func() tea.Msg { return buildLabOpenedMsg{k} }, loadLastBuild(s.sh, k))
}

// refresh asks for the specification rendered at the current width.
func (s buildLabScreen) refresh() tea.Cmd {
	if s.width == 0 {
		return restyleInputs
	}
	k := s.renderKey()
	if out, ok := s.sh.renders.get(k); ok {
		return tea.Batch(restyleInputs, func() tea.Msg { return renderedMsg{key: k, out: out} })
	}
	return tea.Batch(restyleInputs, renderCmd(s.sh.renders, k, s.lab.Spec))
}

func (s buildLabScreen) renderKey() renderKey {
	return renderKey{content: hashText(s.lab.Spec), width: max(20, min(s.width-2, maxTextWidth)), theme: s.sh.theme}
}

func (s buildLabScreen) Title() string {
	return labTitle(s.spec.Title, s.lab.Title)
}

func (s buildLabScreen) Keys() helpKeyMap {
	k := s.keys
	k.typing = s.addr.Focused()
	if k.typing {
		k.Focus = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "done"))
		k.Back = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave the field"))
		k.Help = typingHelpKey()
	}
	return k
}

func (s buildLabScreen) Typing() bool { return s.addr.Focused() }

func (s buildLabScreen) onQuit() tea.Cmd {
	if s.cancel != nil {
		s.cancel()
	}
	return nil
}

func (s buildLabScreen) SetSize(w, h int) screen {
	s.width, s.height = w, h
	s.addr.SetWidth(max(10, min(w-12, 40)))
	return s
}

// waitBuild delivers the next event of a running check, or nothing once
// the check is cancelled.
func waitBuild(events chan tea.Msg, stopped <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case m := <-events:
			return m
		case <-stopped:
			return nil
		}
	}
}

func (s buildLabScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if s.inputTheme != s.sh.theme {
		s.inputTheme = s.sh.theme
		s.addr.SetStyles(textInputStyles(s.inputTheme))
	}
	switch msg := msg.(type) {
	case renderedMsg:
		if msg.key.content != hashText(s.lab.Spec) {
			return s, nil
		}
		if msg.err != nil {
			err := msg.err
			return s, func() tea.Msg { return errMsg{fmt.Errorf("rendering the specification: %w", err)} }
		}
		if msg.key == s.renderKey() {
			s.rendered = msg.out
		}
		return s, nil
	case buildLabOpenedMsg:
		if msg.key == s.key {
			return s, s.refresh()
		}
		return s, nil
	case buildLastMsg:
		if msg.key != s.key || !msg.ok || s.running || s.report != nil {
			return s, nil
		}
		last := msg.last
		s.last = &last
		if !s.edited && last.Addr != "" {
			s.addr.SetValue(last.Addr)
		}
		// Where the learner left off: the results, not the spec again.
		s.showSpec, s.scroll = false, 0
		for i := range s.stages {
			for _, st := range last.Stages {
				if st.ID == s.stages[i].ID {
					s.stages[i].Ran, s.stages[i].Passed = st.Ran, st.Passed
				}
			}
		}
		return s, nil
	case buildStageMsg:
		if msg.events != s.events {
			return s, nil
		}
		r := msg.run
		if r.Index < len(s.stages) {
			s.stages[r.Index] = r
		}
		s.activity = fmt.Sprintf("Stage %d passed: %s", r.Index+1, r.Title)
		if r.Rerun {
			s.activity = fmt.Sprintf("Stage %d still passes", r.Index+1)
		}
		return s, waitBuild(msg.events, s.stopped)
	case buildDoneMsg:
		if msg.events != s.events {
			return s, nil
		}
		s.running, s.events = false, nil
		if s.cancel != nil {
			s.cancel()
			s.cancel = nil
		}
		if msg.err != nil {
			s.activity = ""
			err := msg.err
			return s, func() tea.Msg { return errMsg{err} }
		}
		s.report, s.stages, s.activity, s.last = &msg.report, msg.report.Stages, "", nil
		save := saveBuildCheck(s.sh, s.key, msg.report)
		if msg.report.Passed {
			return s, tea.Batch(save, func() tea.Msg { return statusMsg{"Every stage passes."} })
		}
		return s, save
	case tea.KeyPressMsg:
		return s.updateKey(msg)
	case tea.PasteMsg:
		if s.addr.Focused() {
			var cmd tea.Cmd
			s.addr, cmd = s.addr.Update(msg)
			s.edited = true
			return s, cmd
		}
	}
	return s, nil
}

func (s buildLabScreen) updateKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, s.keys.Back):
		if s.addr.Focused() {
			s.addr.Blur()
			return s, nil
		}
		if s.cancel != nil {
			s.cancel()
		}
		return s, func() tea.Msg { return backMsg{} }
	case key.Matches(msg, s.keys.Focus):
		if s.addr.Focused() {
			s.addr.Blur()
			return s, nil
		}
		return s, s.addr.Focus()
	case key.Matches(msg, s.keys.Run):
		s.addr.Blur()
		return s.start()
	}
	if s.addr.Focused() {
		var cmd tea.Cmd
		before := s.addr.Value()
		s.addr, cmd = s.addr.Update(msg)
		s.edited = s.edited || s.addr.Value() != before
		return s, cmd
	}
	switch {
	case key.Matches(msg, s.keys.Switch):
		s.showSpec, s.scroll = !s.showSpec, 0
	case key.Matches(msg, s.keys.Up):
		s.scroll = max(0, s.scroll-1)
	case key.Matches(msg, s.keys.Down):
		s.scroll++
	case key.Matches(msg, s.keys.PageDown):
		s.scroll += max(1, s.height/2)
	case key.Matches(msg, s.keys.PageUp):
		s.scroll = max(0, s.scroll-max(1, s.height/2))
	}
	return s, nil
}

// start runs the checker in the background; its progress comes back one
// message at a time.
func (s buildLabScreen) start() (screen, tea.Cmd) {
	if s.running {
		return s, nil
	}
	if !s.sh.labPol.Build {
		s.activity = s.remoteText()
		return s, nil
	}
	addr, err := labs.LoopbackAddr(s.addr.Value())
	if err != nil {
		return s, func() tea.Msg { return errMsg{err} }
	}
	// The check ends with the session as well as with esc.
	ctx, cancel := context.WithCancel(s.sh.store.ctx)
	events := make(chan tea.Msg, 8)
	s.running, s.events, s.stopped, s.cancel = true, events, ctx.Done(), cancel
	s.report, s.showSpec, s.scroll = nil, false, 0
	for i := range s.stages {
		s.stages[i] = labs.StageResult{Index: i, ID: s.stages[i].ID, Title: s.stages[i].Title}
	}
	s.activity = "Checking " + addr + "…"
	id := s.lab.ID
	return s, func() tea.Msg {
		// The check runs on its own goroutine so that each stage can be
		// delivered as it finishes; a cancelled check delivers nothing.
		go func() {
			rep, err := labs.Check(ctx, id, addr, func(r labs.StageResult) {
				select {
				case events <- buildStageMsg{events: events, run: r}:
				case <-ctx.Done():
				}
			})
			select {
			case events <- buildDoneMsg{events: events, report: rep, err: err}:
			case <-ctx.Done():
			}
		}()
		return waitBuild(events, ctx.Done())()
	}
}

// remoteText says where a build lab runs when it cannot run here.
func (s buildLabScreen) remoteText() string {
	return "This lab checks a service you run on your own machine, which this server cannot reach. " +
		"Install serverside there, start your service, and run: serverside check " + s.lab.ID + " --addr ADDR"
}

func (s buildLabScreen) View() string { return fitWidth(s.view(), s.width) }

func (s buildLabScreen) view() string {
	st := s.sh.styles
	w := max(30, min(s.width-2, maxTextWidth))
	var b strings.Builder
	b.WriteString(st.Title.Render(s.Title()) + "\n")
	switch {
	case !s.sh.labPol.Build:
		b.WriteString(st.Hint.Render(wrapText(s.remoteText(), w, "")) + "\n")
	case s.activity != "":
		b.WriteString(s.addr.View() + "\n")
		b.WriteString(st.Hint.Render(ansi.Truncate(s.activity, w, "…")) + "\n")
	default:
		b.WriteString(s.addr.View() + "\n")
		b.WriteString(st.Subtle.Render(ansi.Truncate("Run your service on this machine, then press enter. Or: serverside check "+s.lab.ID+" --addr ADDR", w, "…")) + "\n")
	}
	b.WriteString("\n")
	var body string
	if s.showSpec {
		body = s.rendered
		if body == "" {
			body = st.Subtle.Render("Rendering the specification…")
		}
	} else {
		body = s.resultsText(w)
	}
	used := strings.Count(b.String(), "\n")
	lines := strings.Split(body, "\n")
	room := max(1, s.height-used)
	start := min(s.scroll, max(0, len(lines)-room))
	b.WriteString(strings.Join(lines[start:min(len(lines), start+room)], "\n"))
	return b.String()
}

func (s buildLabScreen) resultsText(w int) string {
	st := s.sh.styles
	var b strings.Builder
	if s.report == nil && s.last != nil && !s.running {
		b.WriteString(st.Subtle.Render(wrapText(fmt.Sprintf("Last checked %s at %s. Press enter to check again.",
			sinceText(s.last.CheckedAt, time.Now()), s.last.Addr), w, "")) + "\n\n")
	}
	for _, r := range s.stages {
		mark := st.Todo.Render("·")
		title := st.Lesson.Render(r.Title)
		switch {
		case r.Ran && r.Passed:
			mark = st.Done.Render("✓")
		case r.Ran:
			mark, title = st.Bad.Render("✗"), st.Bad.Render(r.Title)
		}
		line := fmt.Sprintf("%s %d. %s", mark, r.Index+1, title)
		if r.Ran && !r.Passed && r.Rerun {
			line += st.Subtle.Render(fmt.Sprintf(" (broke again after stage %q passed)", r.After))
		}
		b.WriteString(line + "\n")
	}
	if s.report == nil && s.last != nil && !s.running {
		b.WriteString("\n")
		if s.last.Passed {
			b.WriteString(st.Good.Render(fmt.Sprintf("All %d stages passed.", len(s.stages))) + "\n")
		} else if s.last.Failure != "" {
			for _, line := range strings.Split(strings.TrimRight(s.last.Failure, "\n"), "\n") {
				b.WriteString(ansi.Truncate(line, w, "…") + "\n")
			}
		}
	}
	if s.report != nil {
		if s.report.Passed {
			b.WriteString("\n" + st.Good.Render(fmt.Sprintf("All %d stages pass.", len(s.report.Stages))) + "\n")
		} else if f := s.report.Failed; f != nil && f.Failure != nil {
			b.WriteString("\n")
			for _, line := range strings.Split(strings.TrimRight(f.Failure.Text(), "\n"), "\n") {
				b.WriteString(ansi.Truncate(line, w, "…") + "\n")
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func (b buildLabScreen) Position() string { return "" } // no position to show
