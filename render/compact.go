package render

import (
	"slices"
	"strings"
)

// compactSGR rewrites styled text with far fewer escape sequences and the
// same look. Glamour styles every word and every padding space on its own,
// resetting after each and setting the same colour again before the next:
// a blank line of a lesson is over a thousand bytes, and escape sequences
// are about four fifths of a render. Everything downstream pays for those
// bytes on every frame (stripping, measuring, wrapping, the terminal
// renderer), so they are dropped once here, when a render is made.
//
// The rule is conservative: a run of SGR sequences between two pieces of
// text is dropped only when it contains a reset and leaves exactly the
// sequences that were in force since the previous reset on the same line;
// anything before a run's last reset is dropped because the reset undoes
// it. Nothing else changes, so every cell keeps its style whatever state
// the line starts in. Other escape sequences (hyperlinks) are kept as they
// are.
func compactSGR(s string) string {
	var b strings.Builder
	b.Grow(len(s) / 3)
	var c compactor
	for line := range strings.SplitSeq(s, "\n") {
		if c.lines > 0 {
			b.WriteByte('\n')
		}
		c.line(&b, line)
	}
	return b.String()
}

type compactor struct {
	lines int
	// known is set once a reset has been seen on this line; active is then
	// the reset and the sequences sent after it.
	known  bool
	active []string
	run    []string // SGR sequences seen since the last text
}

func (c *compactor) line(b *strings.Builder, line string) {
	c.lines++
	c.known, c.active, c.run = false, c.active[:0], c.run[:0]
	text := 0 // start of the text not yet written
	for i := 0; i < len(line); {
		if line[i] != 0x1b {
			i++
			continue
		}
		n, sgr := sgrLen(line[i:])
		if !sgr {
			// Some other escape: it is written as text would be, which
			// doesn't change the SGR state.
			i++
			continue
		}
		if text < i {
			c.flush(b)
			b.WriteString(line[text:i])
		}
		c.run = append(c.run, line[i:i+n])
		i += n
		text = i
	}
	if text < len(line) {
		c.flush(b)
		b.WriteString(line[text:])
	}
	c.flush(b)
}

// flush writes the pending run of SGR sequences, or nothing when it
// changes nothing.
func (c *compactor) flush(b *strings.Builder) {
	if len(c.run) == 0 {
		return
	}
	last := -1
	for j, seq := range c.run {
		if isReset(seq) {
			last = j
		}
	}
	switch {
	case last < 0:
		for _, seq := range c.run {
			b.WriteString(seq)
		}
		if c.known {
			c.active = append(c.active, c.run...)
		}
	case c.known && slices.Equal(c.run[last:], c.active):
		// The run ends in the state it started in.
	default:
		for _, seq := range c.run[last:] {
			b.WriteString(seq)
		}
		c.known = true
		c.active = append(c.active[:0], c.run[last:]...)
	}
	c.run = c.run[:0]
}

// sgrLen reports whether s starts with an SGR sequence (CSI, parameters,
// "m") and how long it is.
func sgrLen(s string) (int, bool) {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0, false
	}
	for i := 2; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9', ch == ';', ch == ':':
		case ch == 'm':
			return i + 1, true
		default:
			return 0, false
		}
	}
	return 0, false
}

// isReset reports whether an SGR sequence starts by resetting every
// attribute: ESC[m, ESC[0m, or ESC[0;… and ESC[;… which reset and then set.
func isReset(seq string) bool {
	p := seq[2 : len(seq)-1]
	return p == "" || p == "0" || strings.HasPrefix(p, "0;") || strings.HasPrefix(p, ";")
}
