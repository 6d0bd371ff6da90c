package render

import (
	"strings"
	"testing"

	"serverside/termsafe"
)

// A lesson can't write an escape sequence with a zero-padded character
// reference: markdown would decode it to ESC and the link it builds would
// hide its address.
func TestZeroPaddedCharRefsMakeNoLink(t *testing.T) {
	for _, md := range []string{
		"a &#000000000027;]8;;http://evil.example/&#000000000027;\\\\click&#000000000027;]8;;&#000000000027;\\\\ b",
		"a &#x00000001b;]8;;http://evil.example/&#x00000001b;\\\\click&#x00000001b;]8;;&#x00000001b;\\\\ b",
		"a &#x00000001b;]8;;http://evil.example/&#x000007;click&#x00000001b;]8;;&#x000007; b",
		"a &#x00000001b;]52;c;ZWNobyBoaQ==&#x000007; b",
		"a &#x00000001b;P+q544e&#x00000001b;\\ b",
		"a &#x0000202e;b",
	} {
		for _, theme := range []Theme{Dark, Plain} {
			out, err := Markdown(md, 80, theme)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out, "\x1b]8;;http://evil") || strings.Contains(out, "\x1b]52") {
				t.Errorf("%q (%s) renders a hidden sequence: %q", md, theme, out)
			}
			if bad := termsafe.Reaches(out); bad != "" {
				t.Errorf("%q (%s) lets %s reach the terminal", md, theme, bad)
			}
		}
	}
}

// Whatever reaches TerminalSafe, only SGR and OSC 8 come out.
func TestTerminalSafeStopsEverySample(t *testing.T) {
	for _, s := range termsafe.Samples() {
		for _, style := range []bool{true, false} {
			if bad := termsafe.Reaches(TerminalSafe(s, style)); bad != "" {
				t.Errorf("TerminalSafe(%q, %v) lets %s through", s, style, bad)
			}
		}
	}
}
