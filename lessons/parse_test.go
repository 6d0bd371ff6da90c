package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func parseFixture(t *testing.T, name string) (*Lesson, []Problem) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return ParseLesson(name, filepath.Base(name), src)
}

func TestParseEveryQuestionType(t *testing.T) {
	l, probs := parseFixture(t, "good/every-type.md")
	if len(probs) != 0 {
		t.Fatalf("good fixture has problems: %v", probs)
	}
	if l.ID != "every-type" || l.Title != "Every question type" || l.Minutes != 5 {
		t.Fatalf("front matter: got %+v", l)
	}
	if len(l.Questions) != 6 {
		t.Fatalf("want 6 questions, got %d", len(l.Questions))
	}
	q := l.Questions
	if q[0].Type != Single || q[0].Correct[0] != 0 || len(q[0].Hints) != 1 || len(q[0].Refs) != 1 {
		t.Errorf("single: %+v", q[0])
	}
	if q[1].Type != Multi || len(q[1].Correct) != 2 {
		t.Errorf("multi: %+v", q[1])
	}
	if q[2].Type != TrueFalse || !q[2].Bool {
		t.Errorf("truefalse: %+v", q[2])
	}
	if q[3].Type != Short || len(q[3].Accepted) != 2 || q[3].Pattern == "" {
		t.Errorf("short: %+v", q[3])
	}
	if q[4].Type != Numeric || q[4].Number != 1.5 || !q[4].Relative || q[4].Tolerance != 0.1 || q[4].Unit != "RTT" {
		t.Errorf("numeric: %+v", q[4])
	}
	if q[5].Type != Order || len(q[5].Items) != 4 {
		t.Errorf("order: %+v", q[5])
	}
	// Quiz blocks are cut out of the rendered body, and each question
	// remembers where it stood.
	if strings.Contains(l.Body, "```quiz") || strings.Contains(l.Body, "prompt:") {
		t.Errorf("quiz blocks left in the body:\n%s", l.Body)
	}
	if !strings.HasPrefix(l.Body[q[0].Offset:], "\n## Second section") && !strings.Contains(l.Body[q[0].Offset:q[1].Offset], "Second section") {
		t.Errorf("question 1 offset %d does not stand before the second section: %q", q[0].Offset, l.Body[q[0].Offset:])
	}
	if q[0].Line != 12 {
		t.Errorf("first quiz fence is on line 12, got %d", q[0].Line)
	}
	if len(l.Headings) != 2 || l.Headings[1].Text != "Second section" {
		t.Errorf("headings: %+v", l.Headings)
	}
	if len(l.Links) != 1 || l.Links[0].Path != "other.md" || l.Links[0].Line != 10 || l.Links[0].Col != 45 {
		t.Errorf("links: %+v", l.Links)
	}
}

// Every lint rule has a broken fixture: the problem must be found at the
// right line and column, as an error, with a message that says what to do.
func TestBrokenFixtures(t *testing.T) {
	cases := []struct {
		file      string
		line, col int
		want      string
	}{
		{"no-front-matter.md", 1, 1, "no front matter"},
		{"unclosed-front-matter.md", 1, 1, "not closed"},
		{"bad-yaml-front.md", 3, 1, "not valid YAML"},
		{"bad-id.md", 2, 5, `e.g. "bad-id"`},
		{"empty-title.md", 3, 8, "title is empty"},
		{"list-title.md", 3, 8, "title must be plain text"},
		{"list-title.md", 5, 3, "summary must be plain text"},
		{"colon-in-title.md", 3, 1, "a value that contains ': ' must be quoted"},
		{"typo-key.md", 3, 1, `did you mean "title"`},
		{"bad-quiz-yaml.md", 11, 1, "quiz block is not valid YAML"},
		{"unknown-type.md", 10, 7, `did you mean "single"`},
		{"unknown-quiz-key.md", 13, 1, `did you mean "explain"`},
		{"other-type-key.md", 12, 1, `key "choices" does not apply to a truefalse question`},
		{"missing-explain.md", 9, 1, "no explain"},
		{"missing-answer.md", 9, 1, `single question "a" has no answer`},
		{"answer-not-choice.md", 13, 9, `answer "C" is not among the choices`},
		{"duplicate-choice.md", 14, 5, `choice "A" is listed twice`},
		{"order-one-item.md", 12, 8, "at least two items"},
		{"bad-pattern.md", 12, 10, "does not compile"},
		{"numeric-not-number.md", 12, 9, "must be a number"},
		{"duplicate-question.md", 17, 1, `question id "a" is already used at line 8`},
		{"empty.md", 5, 1, "lesson is empty"},
		{"control-chars.md", 6, 7, "raw control character ESC"},
		{"control-chars.md", 6, 16, "raw control character BEL"},
		{"c1-control.md", 6, 7, "raw control character CSI"},
		{"c1-control.md", 6, 29, "invalid UTF-8 byte"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			_, probs := parseFixture(t, "broken/"+c.file)
			for _, p := range probs {
				if p.Line == c.line && p.Col == c.col && p.Severity == Error && strings.Contains(p.Message, c.want) {
					return
				}
			}
			t.Errorf("want an error at %d:%d containing %q, got %v", c.line, c.col, c.want, probs)
		})
	}
}

// Every broken fixture is covered by a case above or by a course-level
// test, so a new rule cannot land without one.
func TestEveryBrokenFixtureIsTested(t *testing.T) {
	src, err := os.ReadFile("parse_test.go")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("testdata/broken")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.Contains(string(src), e.Name()) {
			t.Errorf("testdata/broken/%s has no test", e.Name())
		}
	}
}

// Problems across lessons: duplicate lesson ids and links that lead
// nowhere, at the place in the file that causes them.
func TestCourseLevelProblems(t *testing.T) {
	_, probs := Load(os.DirFS("testdata/broken"), "broken")
	want := []struct {
		path      string
		line, col int
		text      string
	}{
		{"broken/twin-b.md", 2, 5, `lesson id "twin" is already used by broken/twin-a.md`},
		{"broken/bad-link.md", 6, 5, `link "missing.md" leads to a file that does not exist (looked for missing.md)`},
	}
	for _, w := range want {
		found := false
		for _, p := range probs {
			if p.Path == w.path && p.Line == w.line && p.Col == w.col && p.Severity == Error && strings.Contains(p.Message, w.text) {
				found = true
			}
		}
		if !found {
			t.Errorf("want %s:%d:%d: error: …%s…, got %v", w.path, w.line, w.col, w.text, probs)
		}
	}
	// Warnings are for what course.yaml leaves out (see
	// TestBrokenCourseYAML) and for front matter brought from elsewhere
	// (TestForeignFrontMatter); every problem here is an error.
	for _, p := range probs {
		if p.Severity != Error {
			t.Errorf("a problem in a lesson file is an error: %s", p)
		}
	}
}

// course.yaml's mistakes: files and folders it names that don't exist,
// entries listed twice and typos are errors; lesson files and folders it
// leaves out are warnings (they are shown last until listed).
func TestBrokenCourseYAML(t *testing.T) {
	c, probs := Load(os.DirFS("testdata/broken-course"), "bc")
	want := []struct {
		line, col int
		sev       Severity
		text      string
	}{
		{1, 1, Warning, "folder 03-stray has lessons but is not a module in course.yaml"},
		{3, 5, Warning, "lesson file 01-one/03-b.md is not listed in module"},
		{6, 9, Error, `lesson file "02-gone.md" does not exist in 01-one`},
		{7, 5, Warning, "lesson file 02-two/02-left-out.md is not listed"},
		{10, 5, Error, `module path "04-missing" does not exist`},
		{11, 5, Error, `module path "01-one" is listed twice`},
		{12, 5, Error, `unknown key "summray": did you mean "summary"?`},
	}
	if len(probs) != len(want) {
		t.Errorf("want %d problems, got %d: %v", len(want), len(probs), probs)
	}
	for _, w := range want {
		found := false
		for _, p := range probs {
			if p.Path == "bc/course.yaml" && p.Line == w.line && p.Col == w.col && p.Severity == w.sev && strings.Contains(p.Message, w.text) {
				found = true
			}
		}
		if !found {
			t.Errorf("want bc/course.yaml:%d:%d: %s: …%s…, got %v", w.line, w.col, w.sev, w.text, probs)
		}
	}
	// Left-out lessons are still shown, after the listed ones.
	var ids []string
	for _, l := range c.Lessons() {
		ids = append(ids, l.ID)
	}
	if strings.Join(ids, ",") != "a,b,c,left-out,d" {
		t.Errorf("lesson order: %v", ids)
	}
}

func TestHostileTextIsSanitized(t *testing.T) {
	l, _ := parseFixture(t, "broken/control-chars.md")
	if l == nil {
		t.Fatal("a lesson with control characters should still parse, so the UI can show it safely")
	}
	if strings.ContainsAny(l.Body, "\x1b\x07") {
		t.Errorf("escape sequence reached the body: %q", l.Body)
	}
	for _, s := range []string{"\x1b[2J", "\x9b31m", "a\x07b", "ok\r\nnext", "\x1b]52;c;ZXZpbA==\x07"} {
		out := Sanitize(s)
		for _, r := range out {
			if IsControl(r) {
				t.Errorf("Sanitize(%q) = %q still has %U", s, out, r)
			}
		}
	}
	if Sanitize("plain\ttext\n") != "plain\ttext\n" {
		t.Error("Sanitize changed clean text")
	}
}

func TestCourseLoadAndCrossLessonChecks(t *testing.T) {
	c, probs := Load(os.DirFS("testdata/good"), "good")
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if len(c.Modules) != 1 || len(c.Lessons()) != 2 {
		t.Fatalf("want one module of two lessons, got %d modules, %d lessons", len(c.Modules), len(c.Lessons()))
	}
	if c.Next("every-type").ID != "other" || c.Next("other") != nil {
		t.Error("Next follows course order")
	}

	// A link that leads nowhere, and a duplicate id, are caught across files.
	c, probs = Load(os.DirFS("testdata/broken"), "broken")
	found := map[string]bool{}
	for _, p := range probs {
		if strings.Contains(p.Message, `link "missing.md" leads to a file that does not exist (looked for missing.md)`) && p.Line == 6 && p.Col == 5 {
			found["link"] = true
		}
		if strings.Contains(p.Message, "is already used by") {
			found["dup"] = true
		}
	}
	if !found["link"] || !found["dup"] {
		t.Errorf("cross-lesson problems missing (%v): %v", found, probs)
	}
	if len(c.Broken) == 0 {
		t.Error("broken lessons are listed as broken")
	}
}

func TestCourseYAML(t *testing.T) {
	dir := t.TempDir()
	write := func(p, s string) {
		t.Helper()
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lesson := func(id string) string { return "---\nid: " + id + "\ntitle: " + id + "\n---\n\nText.\n" }
	write("b-mod/one.md", lesson("one"))
	write("b-mod/two.md", lesson("two"))
	write("b-mod/extra.md", lesson("extra"))
	write("a-mod/three.md", lesson("three"))
	write("course.yaml", "title: T\nmodules:\n  - path: b-mod\n    title: Bee\n    lessons: [two.md, one.md, gone.md]\n  - path: a-mod\n    titel: oops\n")
	c, probs, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "T" || c.Modules[0].Title != "Bee" || c.Modules[1].Title != "A mod" {
		t.Errorf("titles: %q %q %q", c.Title, c.Modules[0].Title, c.Modules[1].Title)
	}
	var ids []string
	for _, l := range c.Lessons() {
		ids = append(ids, l.ID)
	}
	if strings.Join(ids, ",") != "two,one,extra,three" {
		t.Errorf("order from course.yaml: got %v", ids)
	}
	want := []string{`lesson file "gone.md" does not exist`, "is not listed in module", `did you mean "title"`}
	for _, w := range want {
		ok := false
		for _, p := range probs {
			if strings.Contains(p.Message, w) && strings.HasSuffix(p.Path, "course.yaml") && p.Line > 0 {
				ok = true
			}
		}
		if !ok {
			t.Errorf("want a course.yaml problem %q, got %v", w, probs)
		}
	}
}

func TestStableIdentity(t *testing.T) {
	src, _ := os.ReadFile("testdata/good/every-type.md")
	a, _ := ParseLesson("a.md", "a.md", src)
	// Renamed file, reflowed whitespace in a prompt: same ids, same hashes.
	moved := strings.Replace(string(src), "prompt: Which method is safe?", "prompt:   Which method   is safe?", 1)
	b, _ := ParseLesson("renamed.md", "x/renamed.md", []byte(moved))
	if a.ID != b.ID || a.Questions[0].ID != b.Questions[0].ID || a.Questions[0].Hash != b.Questions[0].Hash {
		t.Error("renaming a file or reflowing whitespace must keep ids and hashes")
	}
	changed := strings.Replace(string(src), "answer: GET", "answer: POST", 1)
	c, _ := ParseLesson("a.md", "a.md", []byte(changed))
	if c.Questions[0].Hash == a.Questions[0].Hash {
		t.Error("a new answer must change the question's hash")
	}
}

func TestDefaultCourseIsClean(t *testing.T) {
	c, probs := Default()
	for _, p := range probs {
		t.Errorf("%s", p)
	}
	if len(c.Broken) > 0 {
		t.Errorf("broken lessons in the built-in course: %v", c.Broken)
	}
	if len(c.Lessons()) < 5 {
		t.Errorf("the built-in course has %d lessons", len(c.Lessons()))
	}
}

// Front matter written for other tools, or none of serverside's keys: the
// lesson loads, named after its file, with a warning saying what to add.
// A near miss of a known key (typo-key.md's titel) stays an error.
func TestForeignFrontMatter(t *testing.T) {
	cases := []struct {
		file      string
		line, col int
		want      string
		id, title string
	}{
		{"missing-id.md", 1, 1, `front matter has no id: using "missing-id" from the file name; add 'id: missing-id'`, "missing-id", "No id"},
		{"missing-title.md", 1, 1, `front matter has no title: using "Missing title" from the file name`, "no-title", "Missing title"},
		{"unknown-front-key.md", 4, 1, `front matter keys serverside does not use are ignored: difficulty (it reads id, title, summary, minutes)`, "unknown-front-key", "Unknown key"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			l, probs := parseFixture(t, "foreign/"+c.file)
			if l == nil || Blocking(probs) {
				t.Fatalf("the lesson must load, got %v", probs)
			}
			if l.ID != c.id || l.Title != c.title {
				t.Errorf("id %q title %q, want %q %q", l.ID, l.Title, c.id, c.title)
			}
			if len(probs) != 1 || probs[0].Severity != Warning || probs[0].Line != c.line || probs[0].Col != c.col || !strings.Contains(probs[0].Message, c.want) {
				t.Errorf("want one warning at %d:%d containing %q, got %v", c.line, c.col, c.want, probs)
			}
		})
	}
	l, probs := ParseLesson("x", "m/x.md", []byte("---\n---\n\nText.\n"))
	if l == nil || l.ID != "x" || Blocking(probs) || len(probs) != 1 || !strings.Contains(probs[0].Message, "front matter is empty") {
		t.Errorf("empty front matter: %+v %v", l, probs)
	}
	_, probs = parseFixture(t, "broken/typo-key.md")
	if !Blocking(probs) {
		t.Errorf("titel stays an error: %v", probs)
	}
}

// index.md is a page named by its folder, as documentation sites lay out
// one folder per page: no two pages default to the id "index".
func TestIndexPageTakesItsFoldersName(t *testing.T) {
	l, probs := ParseLesson("c/http/cookies/index.md", "http/cookies/index.md", []byte("---\ntitle: Using HTTP cookies\n---\n\nSee [caching](../caching/index.md#fresh).\n"))
	if l == nil || l.ID != "cookies" || l.Title != "Using HTTP cookies" {
		t.Fatalf("lesson %+v, problems %v", l, probs)
	}
	if len(l.Links) != 1 || l.Links[0].Path != "http/caching/index.md" {
		t.Errorf("links: %+v", l.Links)
	}
	l, _ = ParseLesson("x", "02-http/connection_management_in_http_1.x/index.md", []byte("---\n---\n\nText.\n"))
	if l == nil || l.ID != "connection-management-in-http-1-x" || l.Title != "Connection management in HTTP/1.x" {
		t.Errorf("defaults from the folder: %+v", l)
	}
}

func TestTitleFromNameKeepsAcronyms(t *testing.T) {
	for in, want := range map[string]string{
		"02-http":                           "HTTP",
		"01-how-backends-work":              "How backends work",
		"connection_management_in_http_1.x": "Connection management in HTTP/1.x",
		"03-rest-apis":                      "REST APIs",
		"evolution_of_http_2":               "Evolution of HTTP/2",
		"tls-1.3-handshake":                 "TLS 1.3 handshake",
		"sql":                               "SQL",
		"learn/server-side/first_steps":     "First steps",
		"10-caching":                        "Caching",
	} {
		if got := titleFromName(in); got != want {
			t.Errorf("titleFromName(%q) = %q, want %q", in, got, want)
		}
	}
}

// A bidi override in a lesson title would make the terminal show it in
// another order; lint names it and the parsed text does not carry it.
func TestBidiControlsAreReportedAndRemoved(t *testing.T) {
	src := "---\nid: bidi\ntitle: \"Read me\u202e.txt\"\n---\n\n# Intro\n\nText \u2066isolated\u2069.\n"
	l, probs := ParseLesson("bidi.md", "bidi.md", []byte(src))
	if l == nil {
		t.Fatal("the lesson should still parse")
	}
	if strings.ContainsAny(l.Title+l.Body, "\u202e\u2066\u2069") {
		t.Errorf("bidi control reached the lesson: title %q body %q", l.Title, l.Body)
	}
	found := false
	for _, p := range probs {
		if strings.Contains(p.Message, "U+202E") && p.Line == 3 {
			found = true
		}
	}
	if !found {
		t.Errorf("lint does not name the bidi control at line 3: %v", probs)
	}
}
