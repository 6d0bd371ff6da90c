package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// scroller shows a window of a view taller than the screen, so every line
// of quiz feedback, a summary or the stats can be reached at any size. A
// marker line says when there is more above or below.
type scroller struct {
	off int // first line shown
}

// scrollKeys move a scroller; line keys are left out where the arrows
// already move a cursor.
type scrollKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

func newScrollKeys() scrollKeys {
	return scrollKeys{Up: upKey(), Down: downKey(),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b", "ctrl+b"), key.WithHelp("pgup", "scroll up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "space", "ctrl+f"), key.WithHelp("pgdn", "scroll down")),
		Top:      topKey(), Bottom: bottomKey()}
}

// pageOnly is the set of keys that scroll without touching the arrows,
// space or letters (for screens with a cursor or a text field).
func (k scrollKeys) pageOnly() scrollKeys {
	return scrollKeys{
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll down")),
	}
}

// update moves the window for a key or the wheel; ok is false when msg is
// not a scroll. total and h are the content's and the window's heights.
func (sc scroller) update(msg tea.Msg, k scrollKeys, total, h int) (scroller, bool) {
	page := max(1, h-2)
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			sc.off -= 3
		case tea.MouseWheelDown:
			sc.off += 3
		default:
			return sc, false
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Up):
			sc.off--
		case key.Matches(msg, k.Down):
			sc.off++
		case key.Matches(msg, k.PageUp):
			sc.off -= page
		case key.Matches(msg, k.PageDown):
			sc.off += page
		case key.Matches(msg, k.Top):
			sc.off = 0
		case key.Matches(msg, k.Bottom):
			sc.off = total
		default:
			return sc, false
		}
	default:
		return sc, false
	}
	sc.off = clampScroll(sc.off, total, h)
	return sc, true
}

func clampScroll(off, total, h int) int {
	return max(0, min(off, total-h))
}

// show makes line i visible, moving the window as little as it can.
func (sc scroller) show(i, total, h int) scroller {
	// The marker lines cover the first and last rows when there is more.
	switch {
	case i <= sc.off:
		sc.off = i - 1
	case i >= sc.off+h-1:
		sc.off = i - h + 2
	}
	sc.off = clampScroll(sc.off, total, h)
	return sc
}

// window cuts content to h lines from the offset, with a marker on the
// first line when more is above and on the last when more is below.
func (sc scroller) window(st Styles, content string, h int) string {
	lines := strings.Split(strings.TrimRight(content, "\n"), "\n")
	if h < 1 {
		return ""
	}
	if len(lines) <= h {
		return strings.Join(lines, "\n")
	}
	off := clampScroll(sc.off, len(lines), h)
	win := append([]string(nil), lines[off:off+h]...)
	if off > 0 {
		win[0] = st.Subtle.Render("  ↑ more above (pgup)")
	}
	if off+h < len(lines) {
		win[h-1] = st.Subtle.Render("  ↓ more below (pgdn)")
	}
	return strings.Join(win, "\n")
}

// lineCount is how many lines content takes.
func lineCount(content string) int {
	return strings.Count(strings.TrimRight(content, "\n"), "\n") + 1
}
