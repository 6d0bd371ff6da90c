package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"serverside/lessons"
	"serverside/render"
)

// runRoot runs serverside with args through the real root command, with
// stdin and captured stdout/stderr, as a script would.
func runRoot(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err = root.ExecuteContext(t.Context())
	return out.String(), errOut.String(), err
}

// writeCourse writes files (slash paths relative to the course) into a
// temporary course directory and returns it.
func writeCourse(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// testCourse is a small course: two modules, a lesson with one question of
// every type, one that links to it, and one without questions.
var testCourse = map[string]string{
	"course.yaml": `title: Test course
modules:
  - path: 01-basics
    title: Basics
  - path: 02-more
    title: More things
`,
	"01-basics/01-every-type.md": "---\nid: every-type\ntitle: Every question type\nsummary: One question of each type.\nminutes: 5\n---\n\n" +
		"# Every question type\n\nText before the first question, with **bold words** and `code`.\n\n" +
		"```quiz\nid: pick-one\ntype: single\nprompt: Which method is safe?\nchoices: [GET, POST, DELETE]\nanswer: GET\n" +
		"explain: GET is read-only by contract.\nrefs:\n  - https://www.rfc-editor.org/rfc/rfc9110#section-9.2.1\n```\n\n" +
		"Text between the first and second questions.\n\n" +
		"```quiz\nid: pick-many\ntype: multi\nprompt: Which are idempotent?\nchoices: [PUT, DELETE, POST]\nanswer: [PUT, DELETE]\n" +
		"explain: Repeating PUT or DELETE leaves the same state.\n```\n\n" +
		"```quiz\nid: yes-no\ntype: truefalse\nprompt: HEAD is safe.\nanswer: true\nexplain: HEAD is GET without the body.\n```\n\n" +
		"```quiz\nid: code\ntype: short\nprompt: Which status answers a matching conditional GET?\nanswer: [\"304\", \"Not Modified\"]\n" +
		"explain: 304 tells the client its copy is fresh.\n```\n\n" +
		"```quiz\nid: rtt\ntype: numeric\nprompt: Round trips for a TCP handshake before data?\nanswer: 1\nunit: RTT\n" +
		"explain: SYN, SYN-ACK, then the ACK can carry data.\n```\n\n" +
		"```quiz\nid: steps\ntype: order\nprompt: Order the steps.\nitems:\n  - DNS\n  - TCP\n  - TLS\n  - HTTP\nexplain: Each needs the one before.\n```\n\n" +
		"The end of the lesson.\n",
	"01-basics/02-linking.md": "---\nid: linking\ntitle: A lesson that links\n---\n\n" +
		"# A lesson that links\n\nSee [the question types](01-every-type.md) for more.\n\n" +
		"```quiz\nid: one\ntype: truefalse\nprompt: This is a test.\nanswer: true\nexplain: It is.\n```\n",
	"02-more/01-no-questions.md": "---\nid: no-questions\ntitle: Only reading\n---\n\nNo heading here, and no questions.\n",
}

// assertNoControls fails when s holds anything a terminal would act on:
// C0 controls but newline and tab, DEL, C1 controls, or invalid UTF-8.
func assertNoControls(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s: invalid UTF-8", what)
	}
	for i, r := range s {
		if lessons.IsControl(r) {
			t.Fatalf("%s: control character %U at byte %d: %q", what, r, i, s[max(0, i-20):min(len(s), i+20)])
		}
	}
}

func TestReadPlainHasNoEscapes(t *testing.T) {
	dir := writeCourse(t, testCourse)
	out, _, err := runRoot(t, "", "read", "every-type", "--lessons", dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Fatalf("ESC in output to a buffer:\n%q", out)
	}
	assertNoControls(t, "read", out)
	if !strings.HasPrefix(out, "# Every question type\n\n") || strings.Count(out, "Every question type") != 1 {
		t.Errorf("the title should open the text once:\n%s", out)
	}
	// Emphasis markers and glamour's code-span padding stay out of plain text.
	for _, bad := range []string{"**", "\u00a0", " \n"} {
		if strings.Contains(out, bad) {
			t.Errorf("plain text holds %q:\n%s", bad, out)
		}
	}
	// Each question stands where the author put it, numbered, without
	// giving its choices away.
	before := strings.Index(out, "Text before the first question")
	q1 := strings.Index(out, "Question 1: Which method is safe?")
	between := strings.Index(out, "Text between the first")
	q2 := strings.Index(out, "Question 2: Which are idempotent?")
	q6 := strings.Index(out, "Question 6: Order the steps.")
	end := strings.Index(out, "The end of the lesson.")
	if before < 0 || q1 < before || between < q1 || q2 < between || q6 < q2 || end < q6 {
		t.Errorf("questions out of place (%d %d %d %d %d %d):\n%s", before, q1, between, q2, q6, end, out)
	}
	if strings.Contains(out, "DELETE") {
		t.Errorf("read gives the choices away:\n%s", out)
	}
	if !strings.Contains(out, "serverside quiz every-type --plain") {
		t.Errorf("no pointer to the quiz:\n%s", out)
	}
}

func TestReadTitleAndLinks(t *testing.T) {
	dir := writeCourse(t, testCourse)
	out, _, err := runRoot(t, "", "read", "no-questions", "--lessons", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "# Only reading\n\nNo heading here") || strings.Contains(out, "quiz") {
		t.Errorf("a lesson without a heading gets its title, and no quiz line:\n%s", out)
	}
	out, _, err = runRoot(t, "", "read", "linking", "--lessons", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "the question types (lesson: Every question type, every-type)") || strings.Contains(out, ".md") {
		t.Errorf("a link to a lesson should name its title and id:\n%s", out)
	}
	if !strings.Contains(out, "asks 1 question. Answer it in the app") {
		t.Errorf("question count:\n%s", out)
	}
}

func TestReadAcceptsPath(t *testing.T) {
	dir := writeCourse(t, testCourse)
	out, _, err := runRoot(t, "", "read", "02-more/01-no-questions.md", "--lessons", dir)
	if err != nil || !strings.Contains(out, "# Only reading") {
		t.Fatalf("read by path: %v\n%s", err, out)
	}
}

func TestReadWidth(t *testing.T) {
	dir := writeCourse(t, testCourse)
	for _, w := range []int{30, 80} {
		out, _, err := runRoot(t, "", "read", "every-type", "--lessons", dir, "--width", strconv.Itoa(w))
		if err != nil {
			t.Fatal(err)
		}
		widest := 0
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "  ") {
				continue // code, which is never wrapped
			}
			widest = max(widest, ansi.StringWidth(line))
		}
		// Code runs on whole, so the command copies intact.
		if !strings.Contains(out, "\n  serverside quiz every-type --plain\n") {
			t.Errorf("--width %d: the quiz command was wrapped:\n%s", w, out)
		}
		if widest > w {
			t.Errorf("--width %d: a line is %d columns wide:\n%s", w, widest, out)
		}
		if w == 30 && widest < 20 {
			t.Errorf("--width 30: text not wrapped near the width (widest %d)", widest)
		}
	}
	_, _, err := runRoot(t, "", "read", "every-type", "--lessons", dir, "--width", "5")
	if err == nil || !strings.Contains(err.Error(), "at least 20") {
		t.Fatalf("--width 5: err = %v", err)
	}
}

func TestReadUnknownLesson(t *testing.T) {
	dir := writeCourse(t, testCourse)
	out, _, err := runRoot(t, "", "read", "every", "--lessons", dir)
	if err == nil {
		t.Fatalf("unknown id printed:\n%s", out)
	}
	msg := err.Error()
	if !strings.Contains(msg, `no lesson "every"`) || !strings.Contains(msg, "serverside list") || !strings.Contains(msg, "similar ids: every-type") {
		t.Fatalf("error should say how to find ids: %v", err)
	}
	if exitCode(err) == 0 {
		t.Fatal("unknown id must exit non-zero")
	}
}

// hostileCourse tries every way of smuggling a terminal escape into a
// lesson: YAML escapes in front matter and quiz blocks, markdown character
// references (decoded only when rendered), and a raw ESC byte.
var hostileCourse = map[string]string{
	"01-evil.md": "---\nid: evil\ntitle: \"Evil \\e]0;pwned\\a title\"\nsummary: \"\\e[2J\"\n---\n\n" +
		"# Evil lesson\n\nClipboard: &#x1b;]52;c;aGVsbG8=&#7; bell &#x07; CSI &#155;31m OSC &#x9d;0;x&#x9c; del &#127; nul &#0;.\n\n" +
		"A [link](https://example.com/&#x1b;]8;;evil&#x1b;\\\\) and `code &#27;[31m`.\n\n" +
		"```quiz\nid: evil-q\ntype: single\nprompt: \"Pick \\e]52;c;aGk=\\a one\"\nchoices: [\"A\", \"B\\x9b2J\\e[31m\"]\nanswer: A\n" +
		"explain: \"Because \\e[5n \\x07 so.\"\nrefs: [\"https://example.com/\\e]8;;x\\a\"]\n```\n",
	"02-raw.md": "---\nid: raw\ntitle: Raw\n---\n\nA raw \x1b[31m escape.\n",
}

func TestReadHostileLesson(t *testing.T) {
	dir := writeCourse(t, hostileCourse)
	out, _, err := runRoot(t, "", "read", "evil", "--lessons", dir)
	if err != nil {
		t.Fatal(err)
	}
	assertNoControls(t, "read evil", out)
	if !strings.Contains(out, "Clipboard:") || !strings.Contains(out, "\uFFFD") {
		t.Errorf("the damage should stay visible as U+FFFD:\n%s", out)
	}

	// Styled output may hold colours and hyperlinks, nothing else.
	c, _, err := lessons.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, theme := range []render.Theme{render.Dark, render.Light, render.Contrast} {
		styled, err := renderLesson(c, c.Lesson("evil"), 80, theme)
		if err != nil {
			t.Fatal(err)
		}
		rest := allowedEscapes.ReplaceAllString(styled, "")
		assertNoControls(t, "styled "+string(theme), rest)
		if strings.Contains(styled, "\x1b]52;") || strings.Contains(styled, "\x1b]8;;evil") || !strings.Contains(styled, "\uFFFD]52;") {
			t.Errorf("%s: smuggled OSC made it through, or was not shown as U+FFFD:\n%.600q", theme, styled)
		}
	}

	// A raw escape in the file is a lint error, but the lesson is still
	// shown, made safe.
	out, _, err = runRoot(t, "", "read", "raw", "--lessons", dir)
	if err != nil {
		t.Fatal(err)
	}
	assertNoControls(t, "read raw", out)
	if !strings.Contains(out, "A raw \uFFFD[31m escape.") {
		t.Errorf("raw escape not shown as U+FFFD:\n%q", out)
	}
}

func TestReadNamesBrokenFiles(t *testing.T) {
	dir := writeCourse(t, map[string]string{
		"01-ok.md":     "---\nid: ok\ntitle: OK\n---\n\nFine.\n",
		"02-broken.md": "no front matter\n",
	})
	_, _, err := runRoot(t, "", "read", "broken", "--lessons", dir)
	if err == nil || !strings.Contains(err.Error(), "1 lesson file could not be loaded") || !strings.Contains(err.Error(), "serverside lint") {
		t.Fatalf("err = %v", err)
	}
}

// allowedEscapes are the sequences styled output may hold: SGR and OSC 8.
var allowedEscapes = regexp.MustCompile("\x1b\\[[0-9;:]*m|\x1b\\]8;[^\x07\x1b]*(\x07|\x1b\\\\)")

func TestReadBuiltInCourse(t *testing.T) {
	c, _ := lessons.Default()
	all := c.Lessons()
	if len(all) == 0 {
		t.Fatal("no built-in lessons")
	}
	// Built-in lessons read as clean text: the first through the command,
	// the largest through the renderer (every lesson would take seconds
	// under -race; the hostile course covers what the text can't do).
	out, _, err := runRoot(t, "", "read", all[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	assertNoControls(t, all[0].ID, out)
	largest := all[0]
	for _, l := range all {
		if len(l.Source) > len(largest.Source) {
			largest = l
		}
	}
	for _, l := range []*lessons.Lesson{all[0], largest} {
		text, err := renderLesson(c, l, 80, render.Plain)
		if err != nil {
			t.Fatalf("%s: %v", l.ID, err)
		}
		assertNoControls(t, l.ID, text)
		if !strings.HasPrefix(text, "# "+l.Title+"\n") || strings.Contains(text, "**") {
			t.Errorf("%s: title or emphasis markers:\n%.300s", l.ID, text)
		}
		if n := len(l.Questions); n > 0 && !strings.Contains(text, "Question "+strconv.Itoa(n)+":") {
			t.Errorf("%s: question %d missing", l.ID, n)
		}
	}
}

func TestSimilarLessons(t *testing.T) {
	c, _, err := lessons.LoadDir(writeCourse(t, testCourse))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		typed string
		want  []string
	}{
		{"every-typ", []string{"every-type"}},  // a prefix
		{"evrey-type", []string{"every-type"}}, // a typo
		{"reading", []string{"no-questions"}},  // in the title
		{"linkin", []string{"linking"}},        // one letter short
		{"zzzzzz", nil},                        // nothing like it
		{"ev", nil},                            // too short to guess
	}
	for _, tt := range tests {
		if got := c.Similar(tt.typed); !slices.Equal(got, tt.want) {
			t.Errorf("Similar(%q) = %v, want %v", tt.typed, got, tt.want)
		}
	}
}

func TestTerminalSafe(t *testing.T) {
	tests := []struct {
		name, in, styled, plain string
	}{
		{"text", "héllo\tworld\n", "héllo\tworld\n", "héllo\tworld\n"},
		{"sgr", "\x1b[38;5;252;1mbold\x1b[m", "\x1b[38;5;252;1mbold\x1b[m", "bold"},
		{"clear screen", "a\x1b[2Jb", "ab", "ab"},
		{"cursor move", "a\x1b[10;10Hb", "ab", "ab"},
		{"osc 52 bel", "a\x1b]52;c;aGk=\x07b", "ab", "ab"},
		{"osc 0 st", "a\x1b]0;title\x1b\\b", "ab", "ab"},
		{"osc 8 link", "\x1b]8;;https://x.y/\x07x\x1b]8;;\x07", "\x1b]8;;https://x.y/\x07x\x1b]8;;\x07", "x"},
		// ESC and the byte after it are one escape sequence (ESC c resets
		// the terminal): both go.
		{"esc and a final byte", "a\x1bbc", "ac", "ac"},
		{"lone esc", "a\x1b", "a", "a"},
		{"unfinished csi", "a\x1b[31", "a31", "a31"},
		{"c0 and del", "a\x07\x08\x00\x7fb\r", "ab", "ab"},
		{"c1", "a\u009b2Jb\u009d", "a2Jb", "a2Jb"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb", "a\uFFFDb"},
		{"code padding", "on \x1b[38;5;203m\u00a0code\u00a0\x1b[m.", "on \x1b[38;5;203m\u00a0code\u00a0\x1b[m.", "on code."},
		{"authored nbsp", "10\u00a0ms", "10\u00a0ms", "10\u00a0ms"},
	}
	for _, tt := range tests {
		if got := render.TerminalSafe(tt.in, true); got != tt.styled {
			t.Errorf("%s styled: got %q, want %q", tt.name, got, tt.styled)
		}
		if got := render.TerminalSafe(tt.in, false); got != tt.plain {
			t.Errorf("%s plain: got %q, want %q", tt.name, got, tt.plain)
		}
	}
}

func TestNeutralizeCharRefs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a &#x1b;[31m b", "a \uFFFD[31m b"},
		{"&#27;&#7;&#0;&#127;&#155;&#x9D;", "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"&#X1B;", "\uFFFD"},
		{"&#99999999;", "\uFFFD"},
		{"it&#x27;s &#39; &#233; &amp; &#10;", "it&#x27;s &#39; &#233; &amp; &#10;"},
		{"no refs", "no refs"},
	}
	for _, tt := range tests {
		if got := render.NeutralizeCharRefs(tt.in); got != tt.want {
			t.Errorf("render.NeutralizeCharRefs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkReadPlain(b *testing.B) {
	c, _ := lessons.Default()
	var largest *lessons.Lesson
	for _, l := range c.Lessons() {
		if largest == nil || len(l.Source) > len(largest.Source) {
			largest = l
		}
	}
	for b.Loop() {
		if _, err := renderLesson(c, largest, 80, render.Plain); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(largest.Source)), "source-bytes")
}

// quiz --plain shows question markdown as clean text: no backticks, no
// emphasis markers, in NO_COLOR too (plain text is all it writes).
func TestQuizPlainRendersQuestionMarkdown(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	dir := writeCourse(t, map[string]string{
		"01-md.md": "---\nid: md\ntitle: Markdown\n---\n\n# Markdown\n\nText.\n\n" +
			"```quiz\nid: q\ntype: single\nprompt: |\n  Which verb does `curl -I` send,\n  the *new* **request**?\n" +
			"choices: [\"`HEAD`\", \"**GET**\"]\nanswer: \"`HEAD`\"\nexplain: \"`-I` sends **HEAD**: headers only.\"\n```\n",
	})
	db := filepath.Join(t.TempDir(), "progress.db")
	out, _, err := runRoot(t, "1\n", "quiz", "md", "--plain", "--lessons", dir, "--db", db, "--user", "ada")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Which verb does curl -I send, the new request?\n", "  1. HEAD\n", "  2. GET\n", "-I sends HEAD: headers only.\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("quiz --plain lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "`*") {
		t.Errorf("markdown markers in quiz --plain:\n%s", out)
	}
}
