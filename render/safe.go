package render

import (
	"strings"

	"serverside/termsafe"
)

// NeutralizeCharRefs replaces numeric character references to control
// characters with U+FFFD before markdown decodes them; see
// termsafe.NeutralizeCharRefs.
func NeutralizeCharRefs(md string) string { return termsafe.NeutralizeCharRefs(md) }

// TerminalSafe keeps only what a terminal should see: text, newlines and
// tabs, and, when keepStyle is set, SGR sequences and OSC 8 hyperlinks
// (termsafe.Styled; otherwise termsafe.Text). It is the last line of
// defence: nothing a lesson says can move the cursor, set the clipboard or
// retitle the window.
//
// Without style, the no-break spaces glamour pads code spans with (just
// inside their colours) go too: they would leave "on  127.0.0.1 ," in plain
// text.
func TerminalSafe(s string, keepStyle bool) string {
	if keepStyle {
		return termsafe.Styled(s)
	}
	if strings.Contains(s, "\u00a0") && strings.Contains(s, "\x1b") {
		s = sgrPadding().ReplaceAllString(s, "$1")
		s = strings.NewReplacer("\u00a0\x1b", "\x1b", "\x07\u00a0", "\x07", "\x1b\\\u00a0", "\x1b\\").Replace(s)
	}
	return termsafe.Text(s)
}

// sgrPadding is an SGR sequence followed by a no-break space.
var sgrPadding = lazyRegexp("(\x1b\\[[0-9;:]*m)\u00a0")
