package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"

	"serverside/progress"
	"serverside/render"
)

// frameCache keeps the parts of a frame that most keys leave as they
// were: the status line, the help footer, and the map's welcome, rows and
// detail. Each is kept with the key it was drawn from, everything its text
// depends on, so a part whose inputs changed is drawn again (no key is
// empty, so the zero cache holds nothing). Drawing them with lipgloss
// on every key cost a fifth of a classroom session's time per key. The
// styles come from the theme alone (NewStyles), so the theme stands for
// them in each key. Used from View and Update only, on the program's own
// goroutine.
type frameCache struct {
	statusKey, status   string
	footerKey, footer   string
	leftKey, left       string
	welcomeKey, welcome string
	welcomeHeight       int
	// parts are the map's rows, detail lines and head, by their keys.
	parts map[any]string
}

// mapRowKey is everything a course map row's text depends on. The
// lesson, module and broken file are the course's own values, which a
// reload replaces rather than changes.
type mapRowKey struct {
	row           mapRow
	width         int
	selected      bool
	theme         render.Theme
	status        progress.LessonStatus
	due, doneInMo int
	loaded        bool // the learner's progress has arrived
}

// mapDetailKey is everything the map's detail lines depend on.
type mapDetailKey struct {
	row   mapRow
	width int
	theme render.Theme
	due   int
}

// mapHeadKey is everything the map's title and progress bar depend on.
type mapHeadKey struct {
	title       string
	width       int
	theme       render.Theme
	done, total int
	loaded      bool
}

// maxCachedParts bounds the parts kept: a course reload, or a learner
// going through every width, leaves parts no frame will ask for again, and
// a cache this full starts again.
const maxCachedParts = 1024

// part is the part of a frame drawn from k, drawn by draw unless it is
// kept. k's type tells the parts apart.
func (c *frameCache) part(k any, draw func() string) string {
	if out, ok := c.parts[k]; ok {
		return out
	}
	if c.parts == nil || len(c.parts) >= maxCachedParts {
		c.parts = map[any]string{}
	}
	out := draw()
	c.parts[k] = out
	return out
}

// helpKey is everything the help footer's text depends on: the width,
// short or full help, the theme and what each binding shows.
func (m Model) helpKey(k helpKeyMap) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(m.width))
	b.WriteByte(0)
	b.WriteString(string(m.sh.theme))
	writeBindings := func(bs []key.Binding) {
		for _, kb := range bs {
			b.WriteByte(1)
			if kb.Enabled() {
				h := kb.Help()
				b.WriteString(h.Key)
				b.WriteByte(0)
				b.WriteString(h.Desc)
			}
		}
	}
	if m.help.ShowAll {
		b.WriteString("\x00full")
		for _, col := range k.FullHelp() {
			b.WriteByte(2)
			writeBindings(col)
		}
	} else {
		b.WriteString("\x00short")
		writeBindings(k.ShortHelp())
	}
	return b.String()
}

// footerView is the help footer for the top screen's keys, cut to the
// width.
func (m Model) footerView(k helpKeyMap) string {
	c := &m.sh.frame
	if hk := m.helpKey(k); hk != c.footerKey {
		// help.Model adds an item that doesn't fit when no "…" fits either.
		c.footer, c.footerKey = cutWidth(m.help.View(k), m.width), hk
	}
	return c.footer
}

// statusView is the status line, drawn again only when what it shows
// changed.
func (m Model) statusView(top screen) string {
	sk := strings.Join([]string{strconv.Itoa(m.width), string(m.sh.theme), m.sh.user, top.Title(),
		strconv.Itoa(m.sh.due), top.Position(), m.status, strconv.FormatBool(m.statusErr)}, "\x00")
	c := &m.sh.frame
	if sk != c.statusKey {
		c.status, c.statusKey = m.statusLine(top), sk
	}
	return c.status
}

// statusLeft is the status line's left part: the program, the learner
// and the screen's title. The right part (the position, which most keys
// in a lesson change) is drawn each time.
func (m Model) statusLeft(title string) string {
	lk := string(m.sh.theme) + "\x00" + m.sh.user + "\x00" + title
	c := &m.sh.frame
	if lk != c.leftKey {
		st := m.sh.styles
		left := st.StatusKey.Render(" serverside ") + st.Status.Render(" "+m.sh.user+" ")
		if title != "" {
			left += st.Status.Render("· " + title + " ")
		}
		c.left, c.leftKey = left, lk
	}
	return c.left
}

// cachedWelcome is the map's welcome at width w and its height in lines.
func (m mapScreen) cachedWelcome(w int) (string, int) {
	wk := strconv.Itoa(w) + "\x00" + strconv.FormatBool(m.height < 20) + "\x00" + string(m.sh.theme)
	c := &m.sh.frame
	if wk != c.welcomeKey {
		c.welcome, c.welcomeKey = m.welcome(w), wk
		c.welcomeHeight = strings.Count(c.welcome, "\n") // it ends in a newline: the lines it takes
	}
	return c.welcome, c.welcomeHeight
}

// cachedRow is row i of the map at width w.
func (m mapScreen) cachedRow(i, w int) string {
	r := m.rows[i]
	k := mapRowKey{row: r, width: w, selected: i == m.cursor, theme: m.sh.theme, loaded: m.sh.loaded}
	switch {
	case r.module != nil:
		for _, l := range r.module.Lessons {
			if m.sh.states[l.ID].Status == progress.Done {
				k.doneInMo++
			}
		}
	case r.lesson != nil:
		k.status, k.due = m.sh.states[r.lesson.ID].Status, m.sh.dueBy[r.lesson.ID]
	}
	return m.sh.frame.part(k, func() string { return m.row(i, w) })
}

// cachedDetail is the map's detail lines for the selected row at width w.
func (m mapScreen) cachedDetail(w int) string {
	r := m.rowAt(m.cursor)
	k := mapDetailKey{row: r, width: w, theme: m.sh.theme}
	if r.lesson != nil {
		k.due = m.sh.dueBy[r.lesson.ID]
	}
	return m.sh.frame.part(k, func() string { return m.detail(w) })
}

// cachedHead is the map's title and progress bar at width w, with done of
// total lessons done.
func (m mapScreen) cachedHead(w, done, total int) string {
	k := mapHeadKey{title: m.sh.course.Title, width: w, theme: m.sh.theme, done: done, total: total, loaded: m.sh.loaded}
	return m.sh.frame.part(k, func() string { return m.head(w, done, total) })
}
