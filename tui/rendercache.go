package tui

import (
	"hash/maphash"
	"sync"

	tea "charm.land/bubbletea/v2"

	"serverside/render"
)

// renderKey identifies one render: a document's content at a width in a theme.
type renderKey struct {
	content contentHash // of the markdown
	width   int
	theme   render.Theme
}

// RenderCache keeps rendered lessons, by (content, width, theme). It is
// safe for concurrent use, so the sessions of a classroom can share one:
// a lesson that 200 learners open at the same width and theme is rendered
// once, the others waiting for that render rather than making their own.
type RenderCache struct {
	mu     sync.Mutex
	m      map[renderKey]string
	order  []renderKey
	flight map[renderKey]*renderFlight
}

// renderFlight is a render under way; done closes when out is set.
type renderFlight struct {
	done chan struct{}
	out  string
	err  error
}

const renderCacheSize = 64

// NewRenderCache returns an empty cache.
func NewRenderCache() *RenderCache {
	return &RenderCache{m: map[renderKey]string{}, flight: map[renderKey]*renderFlight{}}
}

func (c *RenderCache) get(k renderKey) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[k]
	return s, ok
}

// putLocked keeps a render; the caller holds c.mu. Every render goes
// through render, which keeps it, so screens never put one themselves.
func (c *RenderCache) putLocked(k renderKey, s string) {
	if _, ok := c.m[k]; !ok {
		c.order = append(c.order, k)
		if len(c.order) > renderCacheSize {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.m[k] = s
}

// render returns the cached render of k, or makes it with f: once, however
// many callers ask for k at the same time.
func (c *RenderCache) render(k renderKey, f func() (string, error)) (string, error) {
	c.mu.Lock()
	if s, ok := c.m[k]; ok {
		c.mu.Unlock()
		return s, nil
	}
	if fl, ok := c.flight[k]; ok {
		c.mu.Unlock()
		<-fl.done
		return fl.out, fl.err
	}
	fl := &renderFlight{done: make(chan struct{})}
	c.flight[k] = fl
	c.mu.Unlock()

	fl.out, fl.err = f()
	c.mu.Lock()
	delete(c.flight, k)
	if fl.err == nil {
		c.putLocked(k, fl.out)
	}
	c.mu.Unlock()
	close(fl.done)
	return fl.out, fl.err
}

// contentHash identifies a document's text within this process: a seeded
// 64-bit hash and the length. It keys renders only in memory, so it needs
// no cryptographic strength, and it is a few microseconds for the biggest
// lesson where SHA-256 was tens, three times on every open.
type contentHash struct {
	sum  uint64
	size int
}

// hashSeed is chosen once per process and never changes.
var hashSeed = maphash.MakeSeed()

func hashText(s string) contentHash {
	return contentHash{sum: maphash.String(hashSeed, s), size: len(s)}
}

// renderedMsg carries a finished render back to Update.
type renderedMsg struct {
	key renderKey
	out string
	err error
}

// renderCmd renders in the background. Code lines wider than the text
// are cut with a marker: the viewport can't let them run on.
func renderCmd(c *RenderCache, k renderKey, markdown string) tea.Cmd {
	return renderWithLinks(c, k, markdown, nil)
}

func renderWithLinks(c *RenderCache, k renderKey, markdown string, links func(string, bool) (render.Target, bool)) tea.Cmd {
	return func() tea.Msg {
		out, err := c.render(k, func() (string, error) {
			return render.Render(markdown, render.Options{Width: k.width, Theme: k.theme, CutWide: true, Links: links})
		})
		return renderedMsg{key: k, out: out, err: err}
	}
}

// renderCmd renders the lesson: links to other lessons show the target's
// title (o lists them to open), links and images to files of the course
// their path.
func (s lessonScreen) renderCmd() tea.Cmd {
	c, l := s.sh.course, s.lesson
	return renderWithLinks(s.sh.renders, s.want, s.markdown, func(dest string, image bool) (render.Target, bool) {
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
