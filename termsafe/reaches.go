package termsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Reaches says what in s a terminal would obey beyond SGR and OSC 8
// hyperlinks ("" when nothing): an escape sequence of another kind, a
// control character or a bidi control. Tests of every path that shows
// outside text assert with it.
func Reaches(s string) string {
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			n, style := escapeSequence(s[i:])
			if !style {
				return fmt.Sprintf("the escape sequence %q", s[i:i+n])
			}
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			return fmt.Sprintf("the invalid byte %#x", s[i])
		}
		if Unsafe(r) {
			return fmt.Sprintf("the control %U", r)
		}
		i += size
	}
	return ""
}

// Samples are one instance of each kind of sequence the sanitiser must
// stop, inside a little text, for the tests of other packages: OSC 0
// (title), OSC 52 (clipboard), CSI 2J (clear), DCS, APC, C1 and bidi
// controls.
func Samples() []string {
	return []string{
		"t\x1b]0;pwned\x07t",
		"c\x1b]52;c;ZWNobyBoaQ==\x1b\\c",
		"s\x1b[2Js",
		"d\x1bP+q544e\x1b\\d",
		"a\x1b_Gf=100;AAAA\x1b\\a",
		"k\u009b2Jk",
		"b\u202eb\u2066b",
	}
}

// Hostile is all of Samples in one string.
func Hostile() string { return strings.Join(Samples(), " ") }
