package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
)

// globalKeys work on every screen.
type globalKeys struct {
	Quit key.Binding
	Help key.Binding
	// HelpTyping shows every key even while a text field takes '?'.
	HelpTyping key.Binding
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Quit:       key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
		HelpTyping: typingHelpKey(),
	}
}

// Shared bindings: the same keys mean the same thing on every screen.
func upKey() key.Binding { return key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")) }
func downKey() key.Binding {
	return key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down"))
}
func topKey() key.Binding { return key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")) }
func bottomKey() key.Binding {
	return key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom"))
}
func pageDownKey() key.Binding {
	return key.NewBinding(key.WithKeys("pgdown", "space", "f", "ctrl+f"), key.WithHelp("pgdn/space", "page down"))
}
func pageUpKey() key.Binding {
	return key.NewBinding(key.WithKeys("pgup", "b", "ctrl+b"), key.WithHelp("pgup/b", "page up"))
}
func backKey() key.Binding { return key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")) }
func enterKey(what string) key.Binding {
	return key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", what))
}
func helpKey() key.Binding { return key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")) }
func quitKey() key.Binding {
	return key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))
}

// helpKeyMap is what the help footer reads from a screen.
type helpKeyMap = help.KeyMap

// newTextInput is a text field with a steady cursor: a blinking one
// redraws the screen twice a second for nothing.
func newTextInput() textinput.Model {
	in := textinput.New()
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	// A field without a width shows one letter of its placeholder, which
	// looks typed; screens set the real width in SetSize.
	in.SetWidth(40)
	return in
}

// typingHelpKey is the full key list's key where a text field has the
// focus and takes '?': f1 (or ctrl+/), which a field never types.
func typingHelpKey() key.Binding {
	return key.NewBinding(key.WithKeys("f1", "ctrl+/", "ctrl+_"), key.WithHelp("f1", "all keys"))
}
