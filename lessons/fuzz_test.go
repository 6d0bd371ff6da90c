package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// seedLessons adds every markdown file under testdata and the built-in
// course to the corpus.
func seedLessons(f *testing.F, add func(src []byte)) {
	f.Helper()
	for _, glob := range []string{"testdata/*/*.md", "testdata/*/*/*.md", "course/*/*.md"} {
		files, err := filepath.Glob(glob)
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			add(src)
		}
	}
}

// checkProblems holds for any input: every problem is well formed, and
// those about the fuzzed file (f.md) point into it.
func checkProblems(t *testing.T, src []byte, probs []Problem) {
	t.Helper()
	lines := strings.Count(string(src), "\n") + 1
	for _, p := range probs {
		if p.Line < 1 || p.Col < 1 || p.Message == "" || (p.Severity != Error && p.Severity != Warning) {
			t.Fatalf("malformed problem %+v", p)
		}
		if strings.HasSuffix(p.Path, "f.md") && p.Line > lines {
			t.Fatalf("problem past the end of a %d-line file: %s", lines, p)
		}
	}
}

func FuzzParseLesson(f *testing.F) {
	seedLessons(f, func(src []byte) { f.Add(src) })
	f.Add([]byte("---\nid: a\ntitle: A\n---\n\n```quiz\n"))
	f.Add([]byte("---\r\nid: a\r\ntitle: A\r\n---\r\n\r\nText \xc2\x85 \xc2\xa0 \xc2 \x7f.\r\n"))
	f.Add([]byte("---\nid: a\ntitle: A\n---\n\n~~~quiz\nid: x\n~~~\n\n    ```quiz\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if IsClean(string(src)) != cleanByRunes(string(src)) {
			t.Fatalf("IsClean(%q) = %v, but rune by rune it is %v", src, IsClean(string(src)), cleanByRunes(string(src)))
		}
		l, probs := ParseLesson("f.md", "m/f.md", src)
		checkProblems(t, src, probs)
		if l == nil {
			return
		}
		if l.ID == "" || l.Title == "" {
			t.Fatalf("a lesson without id or title: %+v", l)
		}
		for _, s := range []string{l.Body, l.Title, l.Summary} {
			if !IsClean(s) {
				t.Fatalf("control characters reached lesson text: %q", s)
			}
		}
		for _, q := range l.Questions {
			if q.Offset < 0 || q.Offset > len(l.Body) || q.Hash == "" || !IsClean(q.Prompt) || !IsClean(q.Explain) {
				t.Fatalf("question %+v does not fit the body of %d bytes", q, len(l.Body))
			}
			for _, c := range q.Correct {
				if c < 0 || c >= len(q.Choices) {
					t.Fatalf("answer index %d out of %d choices", c, len(q.Choices))
				}
			}
			// Grading any answer must not panic either.
			yes := true
			_ = Grade(q, Answer{Text: "1", Choices: []int{0, 99, -1}, Order: []int{2, 0, 2}, Bool: &yes})
			_ = Grade(q, Answer{})
			if a, err := ParseAnswer(q, "1 3, b", []int{1, 0}); err == nil {
				_ = Grade(q, a)
			}
		}
		for _, h := range l.Headings {
			if h.Offset < 0 || h.Offset > len(l.Body) {
				t.Fatalf("heading %+v outside the body of %d bytes", h, len(l.Body))
			}
		}
	})
}

// cleanByRunes is IsClean written the obvious way, to check the fast one.
func cleanByRunes(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if IsControl(r) {
			return false
		}
	}
	return true
}

// FuzzLoadCourse feeds a course.yaml and a lesson to the whole loader,
// with a second, good lesson for links and ids to collide with.
func FuzzLoadCourse(f *testing.F) {
	courseYAMLs := []string{
		"",
		"title: T\nmodules:\n  - path: m\n    lessons: [f.md, b.md]\n",
		"modules:\n  - m\n  - path: x\n  - path: m\n    titel: y\n",
		"title: [\n",
		"modules: m\n",
	}
	i := 0
	seedLessons(f, func(src []byte) {
		f.Add(courseYAMLs[i%len(courseYAMLs)], src)
		i++
	})
	f.Fuzz(func(t *testing.T, courseYAML string, lesson []byte) {
		fsys := fstest.MapFS{
			"m/f.md": &fstest.MapFile{Data: lesson},
			"m/b.md": &fstest.MapFile{Data: []byte("---\nid: b\ntitle: B\n---\n\nSee [f](f.md).\n")},
		}
		if courseYAML != "" {
			fsys["course.yaml"] = &fstest.MapFile{Data: []byte(courseYAML)}
		}
		c, probs := Load(fsys, "")
		checkProblems(t, lesson, probs)
		seen := map[string]bool{}
		for _, l := range c.Lessons() {
			if seen[l.ID] {
				t.Fatalf("lesson id %q twice in the course", l.ID)
			}
			seen[l.ID] = true
		}
		// Reloading a changed course over this one must not panic.
		_ = MergeLastGood(c, c)
	})
}
