package tui

import tea "charm.land/bubbletea/v2"

// release does what quitting would have done for every open screen (close
// a lab's database or server, save the reading place) when the program
// ended without a quit: a signal (SIGINT, SIGTERM, SIGHUP when the
// terminal closes) cancelled its context and Bubble Tea stopped at once.
// An SQL lab's files in the temporary folder were left behind.
func (m Model) release() {
	for i := len(m.stack) - 1; i >= 0; i-- {
		runNow(m.stack[i].onQuit())
	}
}

// runNow runs a command and those it batches, here and now.
func runNow(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if b, ok := cmd().(tea.BatchMsg); ok {
		for _, c := range b {
			runNow(c)
		}
	}
}
