// Package render turns lesson markdown into terminal text with glamour. It
// is used by the TUI (inside commands, never in Update or View) and by
// `serverside read`. A glamour renderer is not safe for concurrent use and
// fixes its wrap width when built, so each call builds its own.
package render

import (
	"fmt"
	"strings"

	"charm.land/glamour/v2"
	gansi "charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
	"github.com/charmbracelet/x/ansi"
)

// Theme names a look.
type Theme string

const (
	Dark     Theme = "dark"
	Light    Theme = "light"
	Contrast Theme = "contrast" // high contrast: plain colours, bold emphasis
	Plain    Theme = "plain"    // no escape sequences at all
)

// ParseTheme reads --theme values; "auto" and "" return ok=false so the
// caller can ask the terminal.
func ParseTheme(s string) (Theme, bool, error) {
	switch strings.ToLower(s) {
	case "", "auto":
		return "", false, nil
	case "dark":
		return Dark, true, nil
	case "light":
		return Light, true, nil
	case "contrast", "high-contrast":
		return Contrast, true, nil
	case "plain", "none":
		return Plain, true, nil
	}
	return "", false, fmt.Errorf("unknown theme %q: use auto, dark, light, contrast or plain", s)
}

// Markdown renders md wrapped to width columns.
func Markdown(md string, width int, theme Theme) (string, error) {
	md, width = bounded(md, width)
	// Markdown decodes character references such as "&#x1b;" at render
	// time, after lesson text was sanitised: neutralise them first, and
	// keep only the escapes glamour itself writes afterwards.
	out, err := glamourMarkdown(NeutralizeCharRefs(md), width, theme)
	if err != nil {
		return "", err
	}
	if theme == Plain {
		return TerminalSafe(ansi.Strip(out), false), nil
	}
	return compactSGR(TerminalSafe(out, true)), nil
}

// glamourMarkdown is glamour's render, as it comes.
func glamourMarkdown(md string, width int, theme Theme) (string, error) {
	if width < 10 {
		width = 10
	}
	opts := []glamour.TermRendererOption{
		glamour.WithWordWrap(width),
		// terminal16m output is byte-identical from run to run, so renders
		// can be cached and compared.
		glamour.WithChromaFormatter("terminal16m"),
	}
	switch theme {
	case Light:
		opts = append(opts, glamour.WithStyles(styles.LightStyleConfig))
	case Plain:
		opts = append(opts, glamour.WithStyles(styles.NoTTYStyleConfig))
	case Contrast:
		opts = append(opts, glamour.WithStyles(contrastStyle()))
	default:
		opts = append(opts, glamour.WithStyles(styles.DarkStyleConfig))
	}
	r, err := glamour.NewTermRenderer(opts...)
	if err != nil {
		return "", err
	}
	return r.Render(md)
}

func contrastStyle() (s gansi.StyleConfig) {
	s = styles.DarkStyleConfig
	white, yellow, cyan := "15", "11", "14"
	t := true
	s.Document.Color = &white
	s.Heading.Color = &yellow
	s.Heading.Bold = &t
	s.H1.Color = &yellow
	s.H1.BackgroundColor = nil
	s.Link.Color = &cyan
	s.Link.Underline = &t
	s.Code.Color = &yellow
	s.Strong.Color = &white
	s.Emph.Color = &cyan
	return s
}
