package tui

import "github.com/charmbracelet/x/ansi"

// Warm starts, in the background, one-off work the first frame would
// otherwise wait for, so that it runs beside the caller's own start-up
// (loading the course, opening the store). Bubble Tea's renderer measures
// cells with go-runewidth, whose first lookup above U+02FF fills a 2 MB
// table: the map's "○" and "▸" made the first frame pay for it, where a
// frame of ASCII would not.
func Warm() {
	go ansi.StringWidthWc("○")
}
