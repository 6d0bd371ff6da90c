package render

import (
	"strings"
	"testing"
)

// Markdown decodes character references when it renders, after lesson text
// was sanitised; none may come out as a control sequence, in any theme.
func TestMarkdownNeverEmitsControlSequences(t *testing.T) {
	md := "# Title &#x1b;]0;owned&#7;\n\nSet the clipboard: &#x1b;]52;c;cm0gLXJm&#x07; and clear &#27;[2J and C1 &#x9d;0;t&#x9c;.\n\n`code &#x1b;[31m`\n"
	for _, theme := range []Theme{Dark, Light, Contrast, Plain} {
		out, err := Markdown(md, 80, theme)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"\x1b]0", "\x1b]52", "\x07", "\x1b[2J", "\u009d", "\u009c"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: %q reached the output", theme, bad)
			}
		}
		if theme == Plain && strings.Contains(out, "\x1b") {
			t.Errorf("plain output has an escape: %q", out)
		}
		if !strings.Contains(out, "clipboard") {
			t.Errorf("%s: the text itself was lost", theme)
		}
	}
}

func TestTerminalSafeKeepsStyleAndLinks(t *testing.T) {
	in := "\x1b[1;31mred\x1b[0m \x1b]8;;https://example.com\x07link\x1b]8;;\x07 \x1b[2J\x1b]52;c;eA==\x07"
	out := TerminalSafe(in, true)
	if !strings.Contains(out, "\x1b[1;31mred\x1b[0m") || !strings.Contains(out, "\x1b]8;;https://example.com\x07") {
		t.Errorf("SGR and OSC 8 should stay: %q", out)
	}
	if strings.Contains(out, "\x1b[2J") || strings.Contains(out, "]52") {
		t.Errorf("other sequences must go: %q", out)
	}
	if strings.Contains(TerminalSafe(in, false), "\x1b") {
		t.Error("without style, no escape at all")
	}
}
