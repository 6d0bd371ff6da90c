package server

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"serverside/progress"
	"serverside/termsafe"
)

// enrolPrompt is the first screen a new key sees: what name the
// instructor and the class view should show. The SSH user name is the
// default; the name is checked as every learner's name is, and a name
// someone has already is refused, so the learner picks another.
type enrolPrompt struct {
	ctx     context.Context
	backend progress.Backend
	fp      string
	timeout time.Duration

	input         textinput.Model
	keys          enrolKeys
	width, height int
	problem       string // why the last name was refused
	busy          bool
	name          string // the learner's name once enrolled
	left          bool   // the learner left without a name
}

type enrolKeys struct{ join, leave key.Binding }

func newEnrolKeys() enrolKeys {
	return enrolKeys{
		join:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "join")),
		leave: key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc", "leave")),
	}
}

func newEnrolPrompt(ctx context.Context, b progress.Backend, fp, sshUser string, timeout time.Duration, width, height int) *enrolPrompt {
	in := textinput.New()
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	in.Prompt = "> "
	in.Placeholder = "your name"
	in.CharLimit = 64
	if progress.CheckName(sshUser) == nil {
		in.SetValue(sshUser)
		in.CursorEnd()
	}
	p := &enrolPrompt{ctx: ctx, backend: b, fp: fp, timeout: timeout, input: in, keys: newEnrolKeys(), width: width, height: height}
	p.input.SetWidth(max(10, min(width-4, 66)))
	return p
}

// enrolledMsg is the store's answer to an enrolment.
type enrolledMsg struct {
	name string
	err  error
}

func (p *enrolPrompt) Init() tea.Cmd { return p.input.Focus() }

func (p *enrolPrompt) enrol(name string) tea.Cmd {
	ctx, b, fp, timeout := p.ctx, p.backend, p.fp, p.timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		u, err := b.EnrolKey(ctx, fp, name)
		if errors.Is(err, progress.ErrKeyEnrolled) {
			// The same key enrolled from another terminal a moment ago:
			// it is that learner.
			if known, ok, lerr := b.KeyLearner(ctx, fp); lerr == nil && ok {
				return enrolledMsg{name: known}
			}
		}
		return enrolledMsg{name: u.Name, err: err}
	}
}

func (p *enrolPrompt) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.width, p.height = msg.Width, msg.Height
		p.input.SetWidth(max(10, min(p.width-4, 66)))
		return p, nil
	case enrolledMsg:
		p.busy = false
		if msg.err != nil {
			p.problem = enrolProblem(msg.err)
			return p, nil
		}
		p.name = msg.name
		return p, tea.Quit
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, p.keys.leave):
			p.left = true
			return p, tea.Quit
		case key.Matches(msg, p.keys.join):
			if p.busy {
				return p, nil
			}
			name := strings.TrimSpace(p.input.Value())
			if err := progress.CheckName(name); err != nil {
				p.problem = enrolProblem(err)
				return p, nil
			}
			p.busy, p.problem = true, ""
			return p, p.enrol(name)
		}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return p, cmd
}

// enrolProblem is a refusal in the learner's words.
func enrolProblem(err error) string {
	switch {
	case errors.Is(err, progress.ErrNameTaken):
		return "That name is taken by another learner, or looks like theirs (the same letters in another case or alphabet): choose another."
	case errors.Is(err, context.DeadlineExceeded):
		return "The progress store did not answer in time: press enter to try again."
	}
	msg := err.Error()
	if len(msg) > 0 {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return termsafe.Line(msg) + "."
}

func (p *enrolPrompt) View() tea.View {
	w := max(20, p.width)
	bold := lipgloss.NewStyle().Bold(true)
	faint := lipgloss.NewStyle().Faint(true)
	wrap := func(s string) []string { return strings.Split(ansi.Wrap(s, w-2, ""), "\n") }
	intro := wrap("This key is new here. What name should the class know you by? The name stays with this key for good: next time, it brings you straight back to your progress.")
	var problem []string
	switch {
	case p.busy:
		problem = []string{faint.Render("Joining…")}
	case p.problem != "":
		problem = wrap(p.problem)
	}
	help := faint.Render(ansi.Truncate("enter join · esc leave", w-2, "…"))
	keyLine := faint.Render(ansi.Truncate("key "+p.fp, w-2, "…"))
	// What a short window gives up first: the key, then the spacing,
	// then the end of the introduction; never the field, a refusal or
	// the keys that work.
	h := max(1, p.height)
	spaced, withKey := true, true
	fits := func() bool {
		n := 2 + len(intro) + len(problem) + 1 // title, input, intro, problem, help
		if spaced {
			n += 3
			if len(problem) > 0 {
				n++
			}
		}
		if withKey {
			n++
		}
		return n <= h
	}
	if !fits() {
		withKey = false
	}
	if !fits() {
		spaced = false
	}
	for !fits() && len(intro) > 0 {
		intro = intro[:len(intro)-1]
	}
	var lines []string
	add := func(ls ...string) { lines = append(lines, ls...) }
	gap := func() {
		if spaced {
			add("")
		}
	}
	add(bold.Render(ansi.Truncate("Welcome to the classroom", w-2, "…")))
	gap()
	add(intro...)
	gap()
	add(p.input.View())
	if len(problem) > 0 {
		gap()
		add(problem...)
	}
	gap()
	add(help)
	if withKey {
		add(keyLine)
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	v := tea.NewView(lipgloss.NewStyle().Padding(0, 1).Render(strings.Join(lines, "\n")))
	v.AltScreen = true
	return v
}
