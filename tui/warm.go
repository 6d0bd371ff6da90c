package tui

import "github.com/charmbracelet/x/ansi"

// Warm does one-off work the first frame would otherwise wait for: call
// it in a goroutine, so that it runs beside the caller's own start-up
// (loading the course, starting the program). Bubble Tea's renderer measures
// cells with go-runewidth, whose first lookup above U+02FF fills a 2 MB
// table: the map's "○" and "▸" made the first frame pay for it, where a
// frame of ASCII would not.
func Warm() {
	ansi.StringWidthWc("○")
}
