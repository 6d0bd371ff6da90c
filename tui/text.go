package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// plural is "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// padRight pads s with spaces to w cells; padLeft pads on the left.
func padRight(s string, w int) string { return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s))) }
func padLeft(s string, w int) string  { return strings.Repeat(" ", max(0, w-ansi.StringWidth(s))) + s }
