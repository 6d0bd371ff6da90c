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

// pager is a lesson's scroll position over its content lines. It keeps
// bubbles' viewport semantics for the calls the lesson makes, but holds
// only how many lines there are: the lesson draws its own window of lines,
// and the viewport measured the width of every line on each SetContent
// (for horizontal scrolling a lesson never needs, its lines being cut to
// the text width), which cost a millisecond a key in a long lesson's search
// and on every open of a cached render.
type pager struct {
	lines, height, yoff int
}

// SetLineCount is the number of content lines; a position past the new
// bottom moves to it.
func (p *pager) SetLineCount(n int) {
	p.lines = n
	if p.yoff > p.maxYOffset() {
		p.GotoBottom()
	}
}

func (p *pager) SetHeight(h int)    { p.height = h }
func (p *pager) YOffset() int       { return p.yoff }
func (p *pager) SetYOffset(n int)   { p.yoff = max(0, min(n, p.maxYOffset())) }
func (p pager) TotalLineCount() int { return p.lines }
func (p pager) AtTop() bool         { return p.yoff <= 0 }
func (p pager) AtBottom() bool      { return p.yoff >= p.maxYOffset() }
func (p *pager) GotoTop()           { p.SetYOffset(0) }
func (p *pager) GotoBottom()        { p.SetYOffset(p.maxYOffset()) }
func (p pager) maxYOffset() int     { return max(0, p.lines-p.height) }

// ScrollDown and ScrollUp leave a position past the bottom (the window
// grew taller) where it is, as the viewport does.
func (p *pager) ScrollDown(n int) {
	if !p.AtBottom() && n != 0 && p.lines > 0 {
		p.SetYOffset(p.yoff + n)
	}
}

func (p *pager) ScrollUp(n int) {
	if !p.AtTop() && n != 0 && p.lines > 0 {
		p.SetYOffset(p.yoff - n)
	}
}

func (p *pager) PageDown() { p.ScrollDown(p.height) }
func (p *pager) PageUp()   { p.ScrollUp(p.height) }

// ScrollPercent is how far down the view is, from 0 to 1; 1 when all of
// the content fits.
func (p pager) ScrollPercent() float64 {
	if p.height >= p.lines {
		return 1
	}
	return max(0, min(1, float64(p.yoff)/float64(p.lines-p.height)))
}

// Update scrolls three lines a wheel notch, as the viewport did; a wheel
// turned with shift (sideways) does nothing, the lines being cut to fit.
func (p pager) Update(msg tea.Msg) (pager, tea.Cmd) {
	if msg, ok := msg.(tea.MouseWheelMsg); ok && !msg.Mod.Contains(tea.ModShift) {
		switch msg.Button {
		case tea.MouseWheelDown:
			p.ScrollDown(3)
		case tea.MouseWheelUp:
			p.ScrollUp(3)
		}
	}
	return p, nil
}
