package tui

import (
	"crypto/sha256"
	"encoding/hex"

	tea "charm.land/bubbletea/v2"

	"serverside/render"
)

// renderKey identifies one render: a document's content at a width in a theme.
type renderKey struct {
	content string // hash of the markdown
	width   int
	theme   render.Theme
}

// renderCache keeps rendered lessons. It is only touched from Update.
type renderCache struct {
	m     map[renderKey]string
	order []renderKey
}

const renderCacheSize = 64

func newRenderCache() *renderCache { return &renderCache{m: map[renderKey]string{}} }

func (c *renderCache) get(k renderKey) (string, bool) {
	s, ok := c.m[k]
	return s, ok
}

func (c *renderCache) put(k renderKey, s string) {
	if _, ok := c.m[k]; !ok {
		c.order = append(c.order, k)
		if len(c.order) > renderCacheSize {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.m[k] = s
}

func hashText(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:12])
}

// renderedMsg carries a finished render back to Update.
type renderedMsg struct {
	key renderKey
	out string
	err error
}

// renderCmd renders in the background. Code lines wider than the text
// are cut with a marker: the viewport can't let them run on.
func renderCmd(k renderKey, markdown string) tea.Cmd {
	return renderWithLinks(k, markdown, nil)
}

func renderWithLinks(k renderKey, markdown string, links func(string, bool) (render.Target, bool)) tea.Cmd {
	return func() tea.Msg {
		out, err := render.Render(markdown, render.Options{Width: k.width, Theme: k.theme, CutWide: true, Links: links})
		return renderedMsg{key: k, out: out, err: err}
	}
}

// renderCmd renders the lesson: links to other lessons show the target's
// title (o lists them to open), links and images to files of the course
// their path.
func (s lessonScreen) renderCmd() tea.Cmd {
	c, l := s.sh.course, s.lesson
	return renderWithLinks(s.want, s.markdown, func(dest string, image bool) (render.Target, bool) {
		target, file := c.ResolveLink(l, dest)
		switch {
		case target != nil && !image:
			return render.Target{Lesson: "(→ " + target.Title + ")"}, true
		case file != "":
			return render.Target{Path: c.DisplayPath(file)}, true
		}
		return render.Target{}, false
	})
}
