package tui

import (
	"charm.land/lipgloss/v2"

	"serverside/render"
)

// questionText renders a question's markdown (a prompt, a choice, an
// explanation, a hint) in base, wrapped to width columns (0: not
// wrapped): `code` in the accent colour, *emphasis* in italics, **strong**
// in bold, links underlined, never the markers themselves. It parses a
// few hundred bytes, cheap enough for View.
func (st Styles) questionText(md string, width int, base lipgloss.Style) string {
	return render.Text(md, width, func(m render.Mark, text string) string {
		s := base
		if m&render.Strong != 0 {
			s = s.Bold(true)
		}
		if m&render.Emph != 0 {
			s = s.Italic(true)
		}
		if m&render.Strike != 0 {
			s = s.Strikethrough(true)
		}
		if m&render.Link != 0 {
			s = s.Underline(true)
		}
		if m&render.Code != 0 {
			s = s.Foreground(st.Accent)
		}
		return s.Render(text)
	})
}
