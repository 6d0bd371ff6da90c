// Package termsafe is the one sanitiser between text that did not come from
// this program (lessons, lab blocks, a learner's service, an imported
// export, a file name, an SQL error) and a terminal. A terminal obeys any
// escape sequence it receives: it can retitle the window (OSC 0), write the
// clipboard (OSC 52), clear the screen (CSI 2J), take device control
// strings (DCS) or application commands (APC), or be reset (ESC c). Only
// SGR (colours and emphasis) and OSC 8 hyperlinks survive Styled; nothing
// escapes Text or Line.
//
// Which runes are unsafe is decided once, in lessons (IsControl, IsClean),
// which applies the rule when it parses a lesson and imports nothing of the
// project; this package imports only that, so every other package can use
// it.
package termsafe

import (
	"strings"
	"unicode/utf8"

	"serverside/lessons"
)

// Unsafe reports runes that must never reach a terminal as they are: the C0
// controls but newline and tab, DEL, the C1 controls and the bidirectional
// controls. The rule is lessons.IsControl, where a lesson's parser applies
// it too.
func Unsafe(r rune) bool { return lessons.IsControl(r) }

// Styled makes styled text (glamour's or lipgloss's output, with outside
// text inside it) safe for a terminal: it keeps text, newlines, tabs, SGR
// sequences and OSC 8 hyperlinks with printable contents, and drops every
// other escape sequence whole (CSI other than SGR, OSC, DCS, SOS, PM, APC,
// two-byte escapes such as ESC c), every other control character and the
// bidi controls. Invalid UTF-8 becomes U+FFFD.
func Styled(s string) string { return filter(s, true) }

// Text makes plain text safe: like Styled, but no escape sequence at all
// survives. Newlines and tabs stay; a CR before a newline goes, and so does
// any other (a lone CR would let text overwrite the start of its line).
func Text(s string) string { return filter(s, false) }

// Line is Text for a one-line place (a status line, a table cell, a name):
// newlines, CRs and tabs become spaces.
func Line(s string) string {
	if strings.ContainsAny(s, "\r\n\t") {
		s = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ", "\t", " ").Replace(s)
	}
	return filter(s, false)
}

// Clean reports whether s needs no change by Text: valid UTF-8 with no
// unsafe rune (so no escape sequence either). It is lessons.IsClean.
func Clean(s string) bool { return lessons.IsClean(s) }

func filter(s string, keepStyle bool) string {
	if Clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			// A run of printable ASCII, the bulk of any text, goes as is.
			j := i + 1
			for j < len(s) && s[j] >= 0x20 && s[j] < 0x7f {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		if c == 0x1b {
			n, style := escapeSequence(s[i:])
			if style && keepStyle {
				b.WriteString(s[i : i+n])
			}
			i += n
			continue
		}
		if c == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
		case Unsafe(r):
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeSequence measures the escape sequence at the start of s (which
// starts with ESC) and says whether it is a style one: SGR (CSI digits,
// semicolons and colons, then 'm') or an OSC 8 hyperlink with printable
// contents. A sequence that does not end (or holds a byte no terminal
// accepts there) is measured as its introducer only, so that what follows
// shows as inert text rather than vanishing.
func escapeSequence(s string) (n int, style bool) {
	if len(s) < 2 {
		return 1, false
	}
	switch s[1] {
	case '[': // CSI
		for i := 2; i < len(s); i++ {
			c := s[i]
			switch {
			case c >= 0x20 && c <= 0x3f:
				continue
			case c >= 0x40 && c <= 0x7e:
				return i + 1, c == 'm' && strings.Trim(s[2:i], "0123456789;:") == ""
			}
			return 2, false
		}
		return 2, false
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: strings up to ST (or BEL)
		for i := 2; i < len(s); i++ {
			end := 0
			switch {
			case s[i] == 0x07:
				end = i + 1
			case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
				end = i + 2
			case s[i] == 0x1b:
				return 2, false
			}
			if end > 0 {
				body := s[2:i]
				return end, s[1] == ']' && strings.HasPrefix(body, "8;") && strings.Count(body, ";") >= 2 && Clean(body) && !strings.ContainsAny(body, "\n\t")
			}
		}
		return 2, false
	}
	// ESC, intermediates (0x20–0x2f), then a final byte (0x30–0x7e):
	// ESC c (reset), ESC 7, ESC ( B and the like.
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x2f:
			continue
		case c >= 0x30 && c <= 0x7e:
			return i + 1, false
		}
		return i, false
	}
	return len(s), false
}
