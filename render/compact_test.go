package render

import (
	"fmt"
	"strings"
	"testing"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
)

// sameCells fails unless a and b draw the same cells.
func sameCells(t *testing.T, name, a, b string) {
	t.Helper()
	if d := cellsDiffer(a, b); d != "" {
		t.Fatalf("%s: %s", name, d)
	}
}

// cellsDiffer says how a and b draw differently, or "" when they draw the
// same cells: the same characters with the same style and link, line by
// line, as a terminal would show them.
func cellsDiffer(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(la) != len(lb) {
		return fmt.Sprintf("%d lines became %d", len(la), len(lb))
	}
	w := 1
	for i := range la {
		w = max(w, ansi.StringWidth(la[i]), ansi.StringWidth(lb[i]))
	}
	draw := func(s string) uv.ScreenBuffer {
		buf := uv.NewScreenBuffer(w, len(la))
		uv.NewStyledString(s).Draw(buf, uv.Rect(0, 0, w, len(la)))
		return buf
	}
	ba, bb := draw(a), draw(b)
	for y := range len(la) {
		for x := range w {
			ca, cb := ba.CellAt(x, y), bb.CellAt(x, y)
			if (ca == nil) != (cb == nil) || ca != nil && !ca.Equal(cb) {
				return fmt.Sprintf("cell %d,%d differs: %+v became %+v\nline was %q\nline is  %q", x, y, ca, cb, la[y], lb[y])
			}
		}
	}
	return ""
}

// The referee must see a change of style, of link and of text.
func TestCellsDiffer(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"\x1b[31ma\x1b[m", "a"},
		{"\x1b[31ma\x1b[m", "\x1b[32ma\x1b[m"},
		{"\x1b[1ma\x1b[m", "\x1b[1m\x1b[mA"},
		{"\x1b]8;;https://example.com\x1b\\a\x1b]8;;\x1b\\", "a"},
		{"ab", "ac"},
		{"a\nb", "a"},
	} {
		if cellsDiffer(tc.a, tc.b) == "" {
			t.Errorf("%q and %q are reported to draw the same", tc.a, tc.b)
		}
	}
	if d := cellsDiffer("\x1b[31ma\x1b[m\x1b[31mb", "\x1b[31mab"); d != "" {
		t.Errorf("the same look is reported different: %s", d)
	}
}

func TestCompactSGR(t *testing.T) {
	const (
		grey  = "\x1b[38;5;252m"
		red   = "\x1b[31m"
		bold  = "\x1b[1m"
		reset = "\x1b[m"
		link  = "\x1b]8;;https://example.com\x1b\\"
		unlnk = "\x1b]8;;\x1b\\"
	)
	tests := []struct {
		name, in, want string
	}{
		{"plain text is untouched", "hello\nworld", "hello\nworld"},
		{"styled padding collapses",
			"  " + grey + reset + grey + " " + reset + grey + " " + reset + grey + " " + reset,
			"  " + reset + grey + "   " + reset},
		{"styled words merge",
			grey + "a" + reset + grey + " transport " + reset + grey + "built" + reset,
			grey + "a" + reset + grey + " transport built" + reset},
		{"a different style is kept",
			reset + grey + "a" + reset + red + "b" + reset,
			reset + grey + "a" + reset + red + "b" + reset},
		{"added attributes are kept",
			reset + grey + "a" + bold + "b" + reset + grey + "c",
			reset + grey + "a" + bold + "b" + reset + grey + "c"},
		{"a reset back to the same stack is dropped",
			reset + grey + bold + "a" + reset + grey + bold + "b",
			reset + grey + bold + "ab"},
		{"before a reset nothing counts",
			"x" + red + bold + reset + grey + "a",
			"x" + reset + grey + "a"},
		{"the state is unknown at the start of each line",
			reset + grey + "a\n" + reset + grey + "b",
			reset + grey + "a\n" + reset + grey + "b"},
		{"a compound reset is a reset",
			"\x1b[0;31m" + "a" + "\x1b[0;31m" + "b",
			"\x1b[0;31m" + "ab"},
		{"hyperlinks are kept and split runs",
			reset + grey + "see " + reset + grey + link + "this" + unlnk + reset + grey + " page",
			reset + grey + "see " + link + "this" + unlnk + " page"},
		{"other CSI sequences pass through", reset + "a\x1b[2Kb" + reset + "c", reset + "a\x1b[2Kbc"},
		{"a cut sequence at the end is kept", "a\x1b[38;5", "a\x1b[38;5"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := compactSGR(tc.in)
			if got != tc.want {
				t.Errorf("compactSGR(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			sameCells(t, tc.name, tc.in, got)
		})
	}
}

// TestCompactRendersLookTheSame renders built-in lessons in every styled
// theme and checks the compacted render draws the same cells as glamour's,
// and is much smaller.
func TestCompactRendersLookTheSame(t *testing.T) {
	c, _ := lessons.Default()
	all := c.Lessons()
	if len(all) == 0 {
		t.Fatal("built-in course has no lessons")
	}
	// The biggest lesson and one with the most code, which chroma styles
	// token by token; -short keeps only the first.
	picked := []*lessons.Lesson{all[0], all[0]}
	for _, l := range all {
		if len(l.Body) > len(picked[0].Body) {
			picked[0] = l
		}
		if strings.Count(l.Body, "```") > strings.Count(picked[1].Body, "```") {
			picked[1] = l
		}
	}
	if testing.Short() {
		picked = picked[:1]
	}
	for _, l := range picked {
		for _, theme := range []Theme{Dark, Light, Contrast} {
			raw, err := glamourMarkdown(l.Body, 78, theme)
			if err != nil {
				t.Fatal(err)
			}
			out := compactSGR(raw)
			name := l.ID + " " + string(theme)
			sameCells(t, name, raw, out)
			if len(out)*2 > len(raw) {
				t.Errorf("%s: compacted render is %d bytes of %d, want less than half", name, len(out), len(raw))
			}
			t.Logf("%s: %d bytes, compacted %d", name, len(raw), len(out))
		}
	}
}
