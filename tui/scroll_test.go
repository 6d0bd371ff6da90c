package tui

import (
	"math/rand/v2"
	"strings"
	"testing"

	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

// The lesson's pager stands where bubbles' viewport stood: for every call
// the lesson makes, it must end where the viewport would.
func TestPagerScrollsAsTheViewportDid(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for run := range 200 {
		vp := viewport.New()
		vp.SetWidth(80)
		vp.KeyMap = viewport.KeyMap{}
		var p pager
		var log []string
		for step := range 60 {
			switch op := r.IntN(9); op {
			case 0:
				n := r.IntN(120)
				vp.SetContent(strings.TrimSuffix(strings.Repeat("line\n", n), "\n"))
				p.SetLineCount(n)
				log = append(log, "lines "+itoa(n))
			case 1:
				h := 1 + r.IntN(40)
				vp.SetHeight(h)
				p.SetHeight(h)
				log = append(log, "height "+itoa(h))
			case 2:
				n := r.IntN(7)
				vp.ScrollDown(n)
				p.ScrollDown(n)
				log = append(log, "down "+itoa(n))
			case 3:
				n := r.IntN(7)
				vp.ScrollUp(n)
				p.ScrollUp(n)
				log = append(log, "up "+itoa(n))
			case 4:
				vp.PageDown()
				p.PageDown()
				log = append(log, "pgdn")
			case 5:
				vp.PageUp()
				p.PageUp()
				log = append(log, "pgup")
			case 6:
				if r.IntN(2) == 0 {
					vp.GotoTop()
					p.GotoTop()
					log = append(log, "top")
				} else {
					vp.GotoBottom()
					p.GotoBottom()
					log = append(log, "bottom")
				}
			case 7:
				n := r.IntN(150) - 10
				vp.SetYOffset(n)
				p.SetYOffset(n)
				log = append(log, "offset "+itoa(n))
			case 8:
				wheel := tea.MouseWheelMsg{Button: tea.MouseWheelDown}
				if r.IntN(2) == 0 {
					wheel.Button = tea.MouseWheelUp
				}
				if r.IntN(4) == 0 {
					wheel.Mod = tea.ModShift
				}
				vp, _ = vp.Update(wheel)
				p, _ = p.Update(wheel)
				log = append(log, "wheel "+wheel.String())
			}
			if vp.YOffset() != p.YOffset() || vp.AtBottom() != p.AtBottom() || vp.ScrollPercent() != p.ScrollPercent() || vp.TotalLineCount() != p.TotalLineCount() {
				t.Fatalf("run %d step %d: viewport at %d (bottom %v, %.3f, %d lines), pager at %d (bottom %v, %.3f, %d lines) after %v",
					run, step, vp.YOffset(), vp.AtBottom(), vp.ScrollPercent(), vp.TotalLineCount(),
					p.YOffset(), p.AtBottom(), p.ScrollPercent(), p.TotalLineCount(), log)
			}
		}
	}
}
