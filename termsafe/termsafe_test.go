package termsafe

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Hostile is one sample of each kind of sequence a terminal must not see,
// for the tests of every path that shows outside text.
var hostile = map[string]string{
	"OSC 0 title":      "\x1b]0;pwned\x07",
	"OSC 52 clipboard": "\x1b]52;c;ZWNobyBoaQ==\x1b\\",
	"CSI 2J clear":     "\x1b[2J",
	"CSI cursor home":  "\x1b[H",
	"DCS":              "\x1bP+q544e\x1b\\",
	"APC":              "\x1b_Gf=100;AAAA\x1b\\",
	"SOS":              "\x1bXhidden\x1b\\",
	"PM":               "\x1b^hidden\x1b\\",
	"RIS reset":        "\x1bc",
	"C1 CSI":           "\u009b2J",
	"C1 OSC":           "\u009d0;pwned\u009c",
	"bidi override":    "\u202e",
	"bidi isolate":     "\u2066",
	"BEL":              "\x07",
	"backspace":        "\x08",
	"lone CR":          "\r",
}

func TestSanitisers(t *testing.T) {
	sgr := "\x1b[1;38;2;10;20;30mbold\x1b[0m"
	link := "\x1b]8;;https://example.com/\x1b\\site\x1b]8;;\x1b\\"
	cases := []struct {
		name, in, styled, text, line string
	}{
		{"plain", "hello\tworld\n", "hello\tworld\n", "hello\tworld\n", "hello world "},
		{"OSC 0", "a\x1b]0;pwned\x07b", "ab", "ab", "ab"},
		{"OSC 0 ST", "a\x1b]0;pwned\x1b\\b", "ab", "ab", "ab"},
		{"OSC 52", "a\x1b]52;c;ZWNobyBoaQ==\x07b", "ab", "ab", "ab"},
		{"CSI 2J", "a\x1b[2Jb", "ab", "ab", "ab"},
		{"CSI private", "a\x1b[?1049hb", "ab", "ab", "ab"},
		{"CSI with final m but private params", "a\x1b[?5mb", "ab", "ab", "ab"},
		{"DCS", "a\x1bP+q544e\x1b\\b", "ab", "ab", "ab"},
		{"APC", "a\x1b_Gf=100;AAAA\x1b\\b", "ab", "ab", "ab"},
		{"SOS", "a\x1bXsecret\x1b\\b", "ab", "ab", "ab"},
		{"PM", "a\x1b^secret\x1b\\b", "ab", "ab", "ab"},
		{"RIS", "a\x1bcb", "ab", "ab", "ab"},
		{"charset", "a\x1b(Bb", "ab", "ab", "ab"},
		{"C1 CSI", "a\u009b2Jb", "a2Jb", "a2Jb", "a2Jb"},
		{"C1 OSC", "a\u009d0;x\u009cb", "a0;xb", "a0;xb", "a0;xb"},
		{"C1 DCS", "a\u0090qb", "aqb", "aqb", "aqb"},
		{"bidi", "evil\u202etxt.exe\u202c \u2066x\u2069", "eviltxt.exe x", "eviltxt.exe x", "eviltxt.exe x"},
		{"C0", "a\x00\x07\x08\x7fb", "ab", "ab", "ab"},
		{"CRLF", "a\r\nb\rc", "a\nbc", "a\nbc", "a b c"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb", "a\uFFFDb", "a\uFFFDb"},
		{"SGR", "x" + sgr, "x" + sgr, "xbold", "xbold"},
		{"OSC 8", link, link, "site", "site"},
		{"OSC 8 BEL", "\x1b]8;;https://e.com\x07e\x1b]8;;\x07", "\x1b]8;;https://e.com\x07e\x1b]8;;\x07", "e", "e"},
		{"OSC 8 with bidi", "\x1b]8;;https://e.com/\u202e\x07e", "e", "e", "e"},
		{"OSC 8 with C1", "\x1b]8;;https://e.com/\u009b\x07e", "e", "e", "e"},
		{"unterminated OSC", "a\x1b]0;title", "a0;title", "a0;title", "a0;title"},
		{"unterminated DCS", "a\x1bPq#0", "aq#0", "aq#0", "aq#0"},
		{"unfinished CSI", "a\x1b[12", "a12", "a12", "a12"},
		{"lone ESC", "a\x1b", "a", "a", "a"},
		{"ESC ESC", "a\x1b\x1b[2Jb", "ab", "ab", "ab"},
		{"nested ESC in OSC", "a\x1b]0;\x1b]52;c;x\x07b", "a0;b", "a0;b", "a0;b"},
		{"unicode", "héllo 世界 🙂", "héllo 世界 🙂", "héllo 世界 🙂", "héllo 世界 🙂"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Styled(c.in); got != c.styled {
				t.Errorf("Styled(%q) = %q, want %q", c.in, got, c.styled)
			}
			if got := Text(c.in); got != c.text {
				t.Errorf("Text(%q) = %q, want %q", c.in, got, c.text)
			}
			if got := Line(c.in); got != c.line {
				t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
			}
		})
	}
}

// TestNothingHostileSurvives runs every hostile sample, alone and inside
// text, through every sanitiser and checks the output with the same
// predicate other packages' tests use.
func TestNothingHostileSurvives(t *testing.T) {
	for name, h := range hostile {
		for _, in := range []string{h, "x" + h + "y", h + h, strings.Repeat(h, 3) + "\n" + h} {
			for fname, f := range map[string]func(string) string{"Styled": Styled, "Text": Text, "Line": Line} {
				if bad := Reaches(f(in)); bad != "" {
					t.Errorf("%s: %s(%q) lets %s through: %q", name, fname, in, bad, f(in))
				}
			}
		}
	}
}

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, true)
	if _, err := w.Write([]byte("ok \x1b[1mbold\x1b[0m \x1b]52;c;eA==\x07\x1bP+q\x1b\\\u202e!")); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "ok \x1b[1mbold\x1b[0m !"; got != want {
		t.Errorf("styled writer wrote %q, want %q", got, want)
	}
	buf.Reset()
	n, err := NewWriter(NewWriter(&buf, true), false).Write([]byte("\x1b[1mb\x1b[0m"))
	if err != nil || n != len("\x1b[1mb\x1b[0m") {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if buf.String() != "b" {
		t.Errorf("plain writer over a styled one wrote %q, want %q", buf.String(), "b")
	}
}

func TestNeutralizeCharRefs(t *testing.T) {
	cases := map[string]string{
		"&#27;":                 "\uFFFD",
		"&#x1b;":                "\uFFFD",
		"&#X1B;":                "\uFFFD",
		"&#000000000027;":       "\uFFFD",
		"&#x00000001b;":         "\uFFFD",
		"&#x0000000000000009b;": "\uFFFD",
		"&#0;":                  "\uFFFD",
		"&#x202e;":              "\uFFFD",
		"&#8238;":               "\uFFFD",
		"&#99999999999;":        "\uFFFD",
		"&#x110000;":            "\uFFFD",
		"&#65;":                 "&#65;",
		"&#x00041;":             "&#x00041;",
		"&#10;":                 "&#10;",
		"&amp; &lt;":            "&amp; &lt;",
		"a &#x1b;]8;;http://evil/&#x7;click&#x1b;]8;;&#x7;": "a \uFFFD]8;;http://evil/\uFFFDclick\uFFFD]8;;\uFFFD",
	}
	for in, want := range cases {
		if got := NeutralizeCharRefs(in); got != want {
			t.Errorf("NeutralizeCharRefs(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkStyled(b *testing.B) {
	s := strings.Repeat("some \x1b[1mstyled\x1b[0m text with a \x1b]8;;https://e.com\x1b\\link\x1b]8;;\x1b\\ and \x1b]0;x\x07 junk\n", 200)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Styled(s)
	}
}

func TestJSONWriterEscapesWhatEncodingJSONLeaves(t *testing.T) {
	in := map[string]string{"name": "eve\u202etxt\u0085\u009b2J\u007f\u2066", "ok": "héllo"}
	var raw, safe bytes.Buffer
	if err := json.NewEncoder(&raw).Encode(in); err != nil {
		t.Fatal(err)
	}
	if Reaches(raw.String()) == "" {
		t.Fatal("encoding/json escapes these itself now: the writer is not needed")
	}
	if err := json.NewEncoder(NewJSONWriter(&safe)).Encode(in); err != nil {
		t.Fatal(err)
	}
	if bad := Reaches(safe.String()); bad != "" {
		t.Errorf("JSON lets %s through: %s", bad, safe.String())
	}
	var back map[string]string
	if err := json.Unmarshal(safe.Bytes(), &back); err != nil || back["name"] != in["name"] || back["ok"] != in["ok"] {
		t.Errorf("the escaped JSON decodes to %q (%v), want %q", back, err, in)
	}
}
