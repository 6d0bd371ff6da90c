package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"

	"serverside/render"
)

// Styles is every style the screens use, built for one theme.
type Styles struct {
	Title, Subtle, Module, Lesson, Selected, Cursor lipgloss.Style
	Done, Partial, Todo, Broken                     lipgloss.Style
	Good, Bad, Hint, Card, CardTitle, Prompt        lipgloss.Style
	StatusBar, Status, StatusKey, StatusErr         lipgloss.Style
	BarFull, BarEmpty                               lipgloss.Style
	Match, CurrentMatch                             lipgloss.Style
	Help                                            help.Styles
	Accent                                          color.Color
}

// NewStyles builds the styles for a theme. Plain has no colour at all;
// contrast uses the basic bright colours every terminal draws clearly.
func NewStyles(theme render.Theme) Styles {
	s := lipgloss.NewStyle
	if theme == render.Plain {
		p := s()
		return Styles{
			Title: s().Bold(true), Subtle: p, Module: s().Bold(true), Lesson: p, Selected: s().Reverse(true), Cursor: s().Bold(true),
			Done: p, Partial: p, Todo: p, Broken: p, Good: s().Bold(true), Bad: s().Bold(true), Hint: p,
			Card: s().Border(lipgloss.NormalBorder()).Padding(0, 1), CardTitle: s().Bold(true), Prompt: s().Bold(true),
			StatusBar: s().Reverse(true), Status: p, StatusKey: s().Bold(true), StatusErr: s().Bold(true),
			BarFull: p, BarEmpty: p, Help: help.New().Styles, Accent: lipgloss.NoColor{},
			Match: s().Underline(true), CurrentMatch: s().Reverse(true),
		}
	}
	isDark := theme != render.Light
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#A78BFA"))
	subtle := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#9A9A9A"))
	text := ld(lipgloss.Color("#1F1F1F"), lipgloss.Color("#E4E4E4"))
	good := ld(lipgloss.Color("#1B7F3B"), lipgloss.Color("#4ADE80"))
	bad := ld(lipgloss.Color("#B42318"), lipgloss.Color("#F87171"))
	warn := ld(lipgloss.Color("#9A6700"), lipgloss.Color("#FBBF24"))
	barBg := ld(lipgloss.Color("#E6E1F7"), lipgloss.Color("#2E2A3D"))
	if theme == render.Contrast {
		accent, subtle, text = lipgloss.BrightCyan, lipgloss.White, lipgloss.BrightWhite
		good, bad, warn, barBg = lipgloss.BrightGreen, lipgloss.BrightRed, lipgloss.BrightYellow, lipgloss.Black
	}
	h := help.New().Styles
	h.ShortKey = s().Foreground(accent)
	h.FullKey = s().Foreground(accent)
	h.ShortDesc = s().Foreground(subtle)
	h.FullDesc = s().Foreground(subtle)
	h.ShortSeparator = s().Foreground(subtle)
	h.FullSeparator = s().Foreground(subtle)
	h.Ellipsis = s().Foreground(subtle)
	return Styles{
		Title:     s().Bold(true).Foreground(accent),
		Subtle:    s().Foreground(subtle),
		Module:    s().Bold(true).Foreground(text),
		Lesson:    s().Foreground(text),
		Selected:  s().Bold(true).Foreground(accent),
		Cursor:    s().Foreground(accent).Bold(true),
		Done:      s().Foreground(good),
		Partial:   s().Foreground(warn),
		Todo:      s().Foreground(subtle),
		Broken:    s().Foreground(bad),
		Good:      s().Bold(true).Foreground(good),
		Bad:       s().Bold(true).Foreground(bad),
		Hint:      s().Foreground(warn),
		Card:      s().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		CardTitle: s().Bold(true).Foreground(accent),
		Prompt:    s().Bold(true).Foreground(text),
		StatusBar: s().Background(barBg),
		Status:    s().Foreground(text).Background(barBg),
		StatusKey: s().Bold(true).Foreground(ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#1A1A1A"))).Background(accent),
		StatusErr: s().Bold(true).Foreground(bad).Background(barBg),
		BarFull:   s().Foreground(accent),
		BarEmpty:  s().Foreground(subtle),
		Match:     s().Background(ld(lipgloss.Color("#FFF3B0"), lipgloss.Color("#5C4A00"))),
		CurrentMatch: s().Bold(true).Foreground(ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#1A1A1A"))).
			Background(ld(lipgloss.Color("#C2410C"), lipgloss.Color("#FBBF24"))),
		Help:   h,
		Accent: accent,
	}
}

// bar draws a progress bar of width cells for done out of total.
func (st Styles) bar(done, total, width int) string {
	if width < 1 {
		return ""
	}
	full := 0
	if total > 0 {
		full = done * width / total
	}
	return st.BarFull.Render(repeat("█", full)) + st.BarEmpty.Render(repeat("░", width-full))
}

func repeat(s string, n int) string {
	if n <= 0 {
		return ""
	}
	out := make([]byte, 0, n*len(s))
	for i := 0; i < n; i++ {
		out = append(out, s...)
	}
	return string(out)
}
