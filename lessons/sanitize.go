package lessons

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sanitize removes control characters from lesson text so that nothing an
// author (or an attacker who wrote a lesson) put in a file can reach the
// terminal as an escape sequence: ESC, BEL, the C1 controls (which some
// terminals read as CSI or OSC), DEL and invalid UTF-8. Newlines and tabs
// stay. Each removed character becomes U+FFFD so the damage stays visible.
func Sanitize(s string) string {
	if IsClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
		case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			// Windows line ending: keep the newline only.
		case IsControl(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// IsControl reports runes that must never reach a terminal as they are,
// from lesson text or any other outside text: the C0 controls but newline
// and tab, DEL, the C1 controls (some terminals read U+009B as CSI and
// U+009D as OSC) and the bidirectional embedding, override and isolate
// controls (U+202A–U+202E, U+2066–U+2069), which make a terminal show text
// in another order than it is (a name "evil\u202Etxt.exe" shows as
// "evilexe.txt"). It is the one rule: termsafe.Unsafe, which every writer's
// sanitiser applies, is this function, kept here because lessons imports
// nothing of the project and applies it when it parses.
func IsControl(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// IsClean reports whether s is valid UTF-8 with no rune IsControl reports
// (so no escape sequence either), the common case, checked byte by byte
// for ASCII. termsafe.Clean is this function.
func IsClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c != '\n' && c != '\t' && (c < 0x20 || c == 0x7f) {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || IsControl(r) {
			return false
		}
		i += size
	}
	return true
}

// checkControlChars reports every raw control character in the file, at its
// line and column, so an author can find and remove it. A CR that ends a
// line (Windows line endings) is allowed.
func (p *lessonParser) checkControlChars(src []byte) {
	if IsClean(string(src)) || cleanWithCRLF(src) {
		return
	}
	line, col := 1, 1
	reported := 0
	for i := 0; i < len(src); {
		c := src[i]
		if c == '\n' {
			line, col = line+1, 1
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(src[i:])
		}
		switch {
		case r == utf8.RuneError && size <= 1:
			p.errorf(line, col, "invalid UTF-8 byte: save the file as UTF-8")
			p.probs[len(p.probs)-1].Shown = true
			reported++
		case r == '\r' && i+1 < len(src) && src[i+1] == '\n':
			// A Windows line ending is fine.
		case IsControl(r):
			p.errorf(line, col, "raw control character %s: remove it (lessons must not carry terminal escape sequences)", controlName(r))
			p.probs[len(p.probs)-1].Shown = true
			reported++
		}
		if reported >= 20 {
			p.errorf(line, col, "too many control characters; stopping here")
			p.probs[len(p.probs)-1].Shown = true
			return
		}
		col++
		i += size
	}
}

// cleanWithCRLF is clean for a file with Windows line endings.
func cleanWithCRLF(src []byte) bool {
	for i, c := range src {
		if c == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			return false
		}
	}
	return IsClean(strings.ReplaceAll(string(src), "\r\n", "\n"))
}

func controlName(r rune) string {
	names := map[rune]string{0x1b: "ESC (0x1b)", 0x07: "BEL (0x07)", 0x08: "BS (0x08)", 0x00: "NUL (0x00)", 0x7f: "DEL (0x7f)", 0x9b: "CSI (0x9b)", 0x9d: "OSC (0x9d)", '\r': "CR (0x0d) not followed by a newline"}
	if n, ok := names[r]; ok {
		return n
	}
	if r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
		return fmt.Sprintf("U+%04X (a bidi control, which shows text in another order than it is)", r)
	}
	return fmt.Sprintf("U+%04X", r)
}
