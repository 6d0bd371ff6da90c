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

// renderCmd renders in the background; the renderer is built inside the
// command because glamour renderers are not safe to share.
func renderCmd(k renderKey, markdown string) tea.Cmd {
	return func() tea.Msg {
		out, err := render.Markdown(markdown, k.width, k.theme)
		return renderedMsg{key: k, out: out, err: err}
	}
}
