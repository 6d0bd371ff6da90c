package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"serverside/progress"
)

type usersKeys struct{ Up, Down, Switch, Add, Back, Help key.Binding }

func (k usersKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Switch, k.Add, k.Back}
}
func (k usersKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.ShortHelp(), {k.Help, quitKey()}}
}

// usersScreen lists the profiles in the progress file and switches
// between them; each keeps its own progress.
type usersScreen struct {
	sh            *shared
	keys          usersKeys
	width, height int
	users         []progress.User
	cursor        int
	adding        bool
	input         textinput.Model
	problem       string
}

type usersMsg struct{ users []progress.User }

// switchUserMsg asks the root to make this learner the current one.
type switchUserMsg struct{ progress Progress }

func newUsersScreen(sh *shared) usersScreen {
	in := newTextInput()
	in.Placeholder = "name"
	in.CharLimit = 64
	return usersScreen{sh: sh, input: in, keys: usersKeys{
		Up: upKey(), Down: downKey(),
		Switch: enterKey("switch to this profile"),
		Add:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add a profile")),
		Back:   backKey(), Help: helpKey(),
	}}
}

func (s usersScreen) init() tea.Cmd { return loadUsers(s.sh) }

func loadUsers(sh *shared) tea.Cmd {
	// The root opens this screen only when there are Profiles.
	profiles, sc := sh.profiles, sh.store
	return func() tea.Msg {
		us, err := do(sc, profiles.Users)
		if err != nil {
			return errMsg{fmt.Errorf("reading profiles: %w", err)}
		}
		return usersMsg{us}
	}
}

func (s usersScreen) Title() string    { return "Profiles" }
func (s usersScreen) Keys() helpKeyMap { return s.keys }
func (s usersScreen) Typing() bool     { return s.adding }
func (s usersScreen) SetSize(w, h int) screen {
	s.width, s.height = w, h
	s.input.SetWidth(max(10, w-20))
	return s
}

func (s usersScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case usersMsg:
		s.users = msg.users
		for i, u := range s.users {
			if u.Name == s.sh.user {
				s.cursor = i
			}
		}
	case tea.KeyPressMsg:
		if s.adding {
			switch msg.String() {
			case "esc":
				s.adding, s.problem = false, ""
				s.input.Blur()
				return s, nil
			case "enter":
				name := strings.TrimSpace(s.input.Value())
				if name == "" {
					s.problem = "Type a name for the profile."
					return s, nil
				}
				s.adding, s.problem = false, ""
				s.input.Blur()
				return s, switchProfile(s.sh, name, "adding")
			}
			var cmd tea.Cmd
			s.input, cmd = s.input.Update(msg)
			return s, cmd
		}
		switch {
		case key.Matches(msg, s.keys.Back):
			return s, s.sh.ask(backMsg{})
		case key.Matches(msg, s.keys.Up):
			s.cursor = max(0, s.cursor-1)
		case key.Matches(msg, s.keys.Down):
			s.cursor = min(len(s.users)-1, s.cursor+1)
		case key.Matches(msg, s.keys.Add):
			s.adding = true
			s.input.SetValue("")
			return s, s.input.Focus()
		case key.Matches(msg, s.keys.Switch):
			if s.cursor < len(s.users) {
				return s, switchProfile(s.sh, s.users[s.cursor].Name, "switching to")
			}
		}
	case tea.MouseClickMsg:
		if i := msg.Y - 3; i >= 0 && i < len(s.users) {
			s.cursor = i
		}
	}
	return s, nil
}

func (s usersScreen) View() string {
	st := s.sh.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Profiles") + st.Subtle.Render("  each keeps its own progress") + "\n\n")
	for i, u := range s.users {
		cur := "  "
		name := u.Name
		if i == s.cursor {
			cur = st.Cursor.Render("▸ ")
			name = st.Selected.Render(name)
		}
		if u.Name == s.sh.user {
			name += st.Subtle.Render("  (current)")
		}
		b.WriteString(cur + name + "\n")
	}
	if s.adding {
		b.WriteString("\n" + st.Prompt.Render("New profile: ") + themedInput(s.input, s.sh.theme) + "\n")
		if s.problem != "" {
			b.WriteString(st.Bad.Render(s.problem) + "\n")
		}
	}
	// A long list scrolls to keep the cursor, or the new name typed, in
	// view.
	content, h := b.String(), max(1, s.height-2)
	focus := 2 + s.cursor
	if s.adding {
		focus = lineCount(content) - 1
	}
	sc := scroller{}.show(focus, lineCount(content), h)
	return lipgloss.NewStyle().Padding(1, 2).Render(sc.window(st, content, h))
}

// switchProfile makes name the learner (creating the profile when new) and
// asks the root to show their progress. doing names the step for an error.
func switchProfile(sh *shared, name, doing string) tea.Cmd {
	profiles, sc := sh.profiles, sh.store
	return func() tea.Msg {
		if profiles == nil {
			return errMsg{errors.New("profiles cannot be switched here")}
		}
		p, err := do(sc, func(ctx context.Context) (Progress, error) { return profiles.Switch(ctx, name) })
		if err != nil {
			return errMsg{fmt.Errorf("%s %s: %w", doing, name, err)}
		}
		return switchUserMsg{p}
	}
}

func (u usersScreen) onQuit() tea.Cmd  { return nil } // nothing to save or close
func (u usersScreen) refresh() tea.Cmd { return nil } // nothing depends on the theme beyond View
func (u usersScreen) Position() string { return "" }  // no position to show
