package termsafe

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// charRef matches numeric character references with any number of digits:
// markdown decodes "&#000000000027;" as ESC just like "&#27;".
var charRef = regexp.MustCompile(`&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));`)

// NeutralizeCharRefs replaces numeric character references to unsafe runes
// (see Unsafe), to NUL and to no rune at all with U+FFFD, before markdown
// decodes them. Raw control characters are taken out of a lesson when it
// is parsed, but a renderer turns "&#x1b;" back into ESC, and glamour would
// pass an OSC 8 written that way to the terminal as a link whose address
// never shows.
func NeutralizeCharRefs(md string) string {
	if !strings.Contains(md, "&#") {
		return md
	}
	return charRef.ReplaceAllStringFunc(md, func(ref string) string {
		m := charRef.FindStringSubmatch(ref)
		digits, base := m[2], 10
		if m[1] != "" {
			digits, base = m[1], 16
		}
		digits = strings.TrimLeft(digits, "0")
		if digits == "" || len(digits) > 8 {
			return "\uFFFD"
		}
		v, err := strconv.ParseUint(digits, base, 32)
		if err != nil || v > utf8.MaxRune || Unsafe(rune(v)) {
			return "\uFFFD"
		}
		return ref
	})
}
