package render

import (
	"regexp"
	"serverside/lessons"
	"strconv"
	"strings"
	"unicode/utf8"
)

// charRef matches numeric character references (&#27; &#x1b;).
var charRef = regexp.MustCompile(`&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));`)

// NeutralizeCharRefs replaces numeric character references to control
// characters with U+FFFD. Lesson text has its raw control characters
// removed when parsed, but markdown decodes "&#x1b;" back into ESC at render
// time, and glamour passes it to the terminal as is (an OSC 52 written this
// way would set the clipboard).
func NeutralizeCharRefs(md string) string {
	if !strings.Contains(md, "&#") {
		return md
	}
	return charRef.ReplaceAllStringFunc(md, func(ref string) string {
		m := charRef.FindStringSubmatch(ref)
		var v uint64
		var err error
		if m[1] != "" {
			v, err = strconv.ParseUint(m[1], 16, 32)
		} else {
			v, err = strconv.ParseUint(m[2], 10, 32)
		}
		if err != nil || v == 0 || v > utf8.MaxRune || lessons.IsControl(rune(v)) {
			return "\uFFFD"
		}
		return ref
	})
}

// TerminalSafe keeps only what a terminal should see: text, newlines and
// tabs, and, when keepStyle is set, SGR sequences (colours and emphasis)
// and OSC 8 hyperlinks, the only escapes glamour writes. Every other
// control character is dropped and invalid UTF-8 becomes U+FFFD. It is the
// last line of defence: nothing a lesson says can move the cursor, set the
// clipboard or retitle the window.
//
// Without style, the no-break spaces glamour pads code spans with (just
// inside their colours) go too: they would leave "on  127.0.0.1 ," in plain
// text.
func TerminalSafe(s string, keepStyle bool) string {
	var b strings.Builder
	b.Grow(len(s))
	afterEscape := false
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			n, keep := escapeSequence(s[i:])
			if keep && keepStyle {
				b.WriteString(s[i : i+n])
			}
			i += n
			afterEscape = true
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
		case lessons.IsControl(r):
		case !keepStyle && r == '\u00a0' && (afterEscape || strings.HasPrefix(s[i+size:], "\x1b")):
		default:
			b.WriteString(s[i : i+size])
		}
		afterEscape = false
		i += size
	}
	return b.String()
}

// escapeSequence measures the escape sequence at the start of s (which
// starts with ESC) and says whether it is one glamour writes: SGR (CSI
// digits and semicolons, then 'm') or an OSC 8 hyperlink with printable
// contents. A lone ESC or an unfinished sequence is one byte long, so what
// follows shows as text.
func escapeSequence(s string) (n int, keep bool) {
	if len(s) < 2 {
		return 1, false
	}
	switch s[1] {
	case '[':
		for i := 2; i < len(s); i++ {
			c := s[i]
			switch {
			case c >= 0x30 && c <= 0x3f, c >= 0x20 && c <= 0x2f:
				continue
			case c >= 0x40 && c <= 0x7e:
				params := s[2:i]
				return i + 1, c == 'm' && strings.Trim(params, "0123456789;:") == ""
			}
			return 1, false
		}
		return 1, false
	case ']':
		for i := 2; i < len(s); i++ {
			end := 0
			switch {
			case s[i] == 0x07:
				end = i + 1
			case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
				end = i + 2
			case s[i] < 0x20 || s[i] == 0x7f:
				return 1, false
			}
			if end > 0 {
				body := s[2:i]
				return end, strings.HasPrefix(body, "8;") && utf8.ValidString(body) && !strings.ContainsFunc(body, lessons.IsControl)
			}
		}
		return 1, false
	}
	return 1, false
}
