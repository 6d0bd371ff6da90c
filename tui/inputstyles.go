package tui

import (
	"image/color"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"serverside/render"
)

// Text fields take their colours from the same light/dark decision as
// every other style: bubbles' defaults assume a dark terminal, which on a
// light one draws the cursor line black under the terminal's dark text.
// Screens with a text field style it when they build it and again when
// the theme changes (the answer to tea.RequestBackgroundColor comes after
// the first frame); see restyleInputs.

// inputPalette is the few colours text fields use, for one theme.
type inputPalette struct {
	text, subtle, accent, lineBg color.Color
}

func inputColors(theme render.Theme) (inputPalette, bool) {
	switch theme {
	case render.Plain:
		return inputPalette{}, false
	case render.Contrast:
		return inputPalette{text: lipgloss.BrightWhite, subtle: lipgloss.White, accent: lipgloss.BrightCyan, lineBg: lipgloss.Black}, true
	}
	ld := lipgloss.LightDark(theme != render.Light)
	return inputPalette{
		text:   ld(lipgloss.Color("#1F1F1F"), lipgloss.Color("#E4E4E4")),
		subtle: ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#9A9A9A")),
		accent: ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#A78BFA")),
		lineBg: ld(lipgloss.Color("#EEEBF8"), lipgloss.Color("#2A2738")),
	}, true
}

// textAreaStyles are a text area's styles for theme, with a steady cursor.
func textAreaStyles(theme render.Theme) textarea.Styles {
	s := lipgloss.NewStyle
	p, colour := inputColors(theme)
	var st textarea.Styles
	if !colour {
		plain := textarea.StyleState{
			Base: s(), Text: s(), LineNumber: s(), CursorLineNumber: s().Bold(true), CursorLine: s(),
			EndOfBuffer: s(), Placeholder: s().Faint(true), Prompt: s(), Selection: s().Reverse(true),
		}
		st.Focused, st.Blurred = plain, plain
		st.Blurred.CursorLineNumber = s()
		st.Cursor = textarea.CursorStyle{Color: lipgloss.NoColor{}, Shape: st.Cursor.Shape}
		return st
	}
	st.Focused = textarea.StyleState{
		Base:             s(),
		Text:             s().Foreground(p.text),
		LineNumber:       s().Foreground(p.subtle),
		CursorLineNumber: s().Foreground(p.accent),
		CursorLine:       s().Foreground(p.text).Background(p.lineBg),
		EndOfBuffer:      s().Foreground(p.subtle),
		Placeholder:      s().Foreground(p.subtle),
		Prompt:           s().Foreground(p.accent),
		Selection:        s().Foreground(p.text).Background(p.lineBg).Reverse(true),
	}
	st.Blurred = st.Focused
	st.Blurred.Text = s().Foreground(p.subtle)
	st.Blurred.CursorLine = s().Foreground(p.subtle)
	st.Blurred.CursorLineNumber = s().Foreground(p.subtle)
	st.Blurred.Prompt = s().Foreground(p.subtle)
	st.Cursor = textarea.CursorStyle{Color: p.accent}
	return st
}

// textInputStyles are a one-line field's styles for theme, with a steady
// cursor.
func textInputStyles(theme render.Theme) textinput.Styles {
	s := lipgloss.NewStyle
	p, colour := inputColors(theme)
	var st textinput.Styles
	if !colour {
		plain := textinput.StyleState{Text: s(), Placeholder: s().Faint(true), Suggestion: s().Faint(true), Prompt: s()}
		st.Focused, st.Blurred = plain, plain
		st.Focused.Prompt = s().Bold(true)
		st.Cursor = textinput.CursorStyle{Color: lipgloss.NoColor{}}
		return st
	}
	st.Focused = textinput.StyleState{
		Text:        s().Foreground(p.text),
		Placeholder: s().Foreground(p.subtle),
		Suggestion:  s().Foreground(p.subtle),
		Prompt:      s().Foreground(p.accent).Bold(true),
	}
	st.Blurred = st.Focused
	st.Blurred.Text = s().Foreground(p.subtle)
	st.Blurred.Prompt = s().Foreground(p.subtle)
	st.Cursor = textinput.CursorStyle{Color: p.accent}
	return st
}

// inputThemeMsg tells screens with text fields that the theme changed; a
// screen restyles its fields when the theme it styled them for is not the
// current one. Screens send it from refresh, which the root calls after a
// theme change.
type inputThemeMsg struct{}

func restyleInputs() tea.Msg { return inputThemeMsg{} }

// themedInput draws a text field in the theme's colours. Screens outside
// the labs style their fields as they draw them, from the theme the root
// holds now, so a background answer that arrives after the field was
// built (light terminals) restyles it without any screen tracking it.
func themedInput(in textinput.Model, theme render.Theme) string {
	in.SetStyles(textInputStyles(theme))
	return in.View()
}
