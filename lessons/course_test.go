package lessons

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestCourseMinimums holds the built-in course to the size and shape the
// curriculum promises, so it cannot silently shrink.
func TestCourseMinimums(t *testing.T) {
	c, probs := Default()
	if len(probs) > 0 {
		t.Fatalf("the built-in course has problems: %v", probs)
	}
	// The second edition: testing and deploying became modules of their
	// own, and real time, files, TLS today, more databases and security
	// joined the others.
	if len(c.Modules) < 10 {
		t.Errorf("want at least 10 modules, have %d", len(c.Modules))
	}
	if n := len(c.Lessons()); n < 62 {
		t.Errorf("want at least 62 lessons, have %d", n)
	}
	labs := 0
	for _, l := range c.Lessons() {
		labs += len(l.Labs)
	}
	if labs < 19 {
		t.Errorf("want at least 19 lab blocks across the course, have %d", labs)
	}
	for _, m := range c.Modules {
		if len(m.Lessons) == 0 {
			t.Errorf("module %s is empty", m.ID)
			continue
		}
		last := m.Lessons[len(m.Lessons)-1]
		if !strings.Contains(last.Body, "## Further reading") {
			t.Errorf("module %s: its last lesson %s has no '## Further reading' section", m.ID, last.Path)
		}
	}
	for _, l := range c.Lessons() {
		words := len(strings.Fields(l.Body))
		if words < 700 {
			t.Errorf("%s: %d words of prose, want at least 700", l.Path, words)
		}
		if len(l.Questions) < 6 {
			t.Errorf("%s: %d questions, want at least 6", l.Path, len(l.Questions))
		}
		types := map[QuestionType]bool{}
		hints := 0
		for _, q := range l.Questions {
			types[q.Type] = true
			if len(strings.Fields(q.Explain)) < 8 {
				t.Errorf("%s: question %s: the explanation should teach, not just restate (%q)", l.Path, q.ID, q.Explain)
			}
			if len(q.Refs) == 0 {
				t.Errorf("%s: question %s has no refs to a primary source", l.Path, q.ID)
			}
			if len(q.Hints) > 0 {
				hints++
			}
		}
		if len(types) < 3 {
			t.Errorf("%s: uses %d question types, want at least 3", l.Path, len(types))
		}
		if hints == 0 {
			t.Errorf("%s: no question has a hint", l.Path)
		}
	}
	// Across the course every question type is used.
	all := map[QuestionType]int{}
	for _, l := range c.Lessons() {
		for _, q := range l.Questions {
			all[q.Type]++
		}
	}
	for _, typ := range questionTypes {
		if all[QuestionType(typ)] == 0 {
			t.Errorf("no %s question anywhere in the course", typ)
		}
	}
	if testing.Verbose() {
		for _, m := range c.Modules {
			fmt.Printf("%s\n", m.Title)
			for _, l := range m.Lessons {
				fmt.Printf("  %-48s %5d words %2d questions\n", l.Path, len(strings.Fields(l.Body)), len(l.Questions))
			}
		}
	}
}

// testdata/brought is laid out as material instructors bring: MDN pages
// (foreign front matter, one folder per page with index.md, images beside
// them) and the system design primer split into lessons (an images folder,
// HTML images, links to README and CONTRIBUTING files and a solution's
// folder, in-page anchors that now live in another lesson). Every lesson
// loads, and lint says only what it should.
func TestBroughtCourseLintsWithOnlyItsWarnings(t *testing.T) {
	c, probs := Load(os.DirFS("testdata/brought"), "b")
	want := []string{
		`b/01-learn-server-side/first_steps/index.md:1:1: warning: front matter has no id: using "first-steps" from the file name; add 'id: first-steps' so progress survives renaming the file`,
		`b/01-learn-server-side/first_steps/index.md:3:1: warning: front matter keys serverside does not use are ignored: slug, page-type, sidebar (it reads id, title, summary, minutes)`,
		`b/01-learn-server-side/introduction/index.md:4:1: warning: front matter keys serverside does not use are ignored: short-title, slug, page-type (it reads id, title, summary, minutes)`,
		`b/02-http/caching/index.md:4:1: warning: front matter keys serverside does not use are ignored: slug, page-type, sidebar (it reads id, title, summary, minutes)`,
		`b/02-http/connection_management_in_http_1.x/index.md:1:1: warning: front matter has no id: using "connection-management-in-http-1-x" from the file name; add 'id: connection-management-in-http-1-x' so progress survives renaming the file`,
		`b/02-http/connection_management_in_http_1.x/index.md:3:1: warning: front matter keys serverside does not use are ignored: slug, page-type, sidebar (it reads id, title, summary, minutes)`,
		`b/02-http/cookies/index.md:4:1: warning: front matter keys serverside does not use are ignored: slug, page-type, sidebar (it reads id, title, summary, minutes)`,
		`b/03-system-design/01-performance-vs-scalability.md:14:31: warning: link "#latency-vs-throughput": this lesson has no heading with that anchor; b/03-system-design/02-latency-vs-throughput.md has one: link to 02-latency-vs-throughput.md#latency-vs-throughput`,
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lint of testdata/brought:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var ids, modules []string
	for _, m := range c.Modules {
		modules = append(modules, m.Title)
		for _, l := range m.Lessons {
			ids = append(ids, l.ID)
		}
	}
	if s := strings.Join(modules, "|"); s != "Learn server side|HTTP|System design" {
		t.Errorf("modules: %s", s)
	}
	if s := strings.Join(ids, ","); s != "first-steps,server-side-introduction,http-caching,connection-management-in-http-1-x,http-cookies,performance-vs-scalability,latency-vs-throughput,cap-theorem" {
		t.Errorf("lessons: %s", s)
	}
	if len(c.Broken) != 0 {
		t.Errorf("broken: %v", c.Broken)
	}
	// Links between page folders resolve to the lesson.
	cookies := c.Lesson("http-cookies")
	if len(cookies.Links) != 2 || c.LessonAt(cookies.Links[0].Path) != c.Lesson("http-caching") || cookies.Links[1].Path != "README.md" {
		t.Errorf("cookies links: %+v", cookies.Links)
	}
	// A link to a page's folder leads to its index.md.
	intro := c.Lesson("server-side-introduction")
	if links := c.Lesson("first-steps").Links; len(links) != 3 || c.LessonAt(links[2].Path) != intro {
		t.Errorf("first-steps links: %+v", links)
	}
	if next := c.Lesson("latency-vs-throughput").Links; len(next) != 2 || c.LessonAt(next[0].Path) != c.Lesson("cap-theorem") {
		t.Errorf("a percent-encoded link resolves: %+v", next)
	}
}

// Links and images that lead nowhere are errors at their place; the lesson
// is still shown (only the link is broken), as AUTHORING.md says.
func TestMissingLinkTargetsAndImages(t *testing.T) {
	fsys := fstest.MapFS{
		"m/a.md": {Data: []byte("---\nid: a\ntitle: A\n---\n\n" +
			"![gone](images/gone.png)\n\n" + // line 6
			"<p><img alt=\"x\" src=\"images/also-gone.png\"></p>\n\n" + // line 8
			"See [b](b.md#nowhere) and [c](c.md), [dir](../missing/), [enc](d%20e.md).\n\n" + // line 10
			"Hostile: [esc](%1b%5b2J.md).\n\n" + // line 12
			"Fine: [readme](../README.md), [folder](../assets/), [self](#a-heading), [img](../assets/x.png).\n\n" + // line 14
			"## A heading\n")},
		"m/b.md":          {Data: []byte("---\nid: b\ntitle: B\n---\n\nText.\n")},
		"README.md":       {Data: []byte("# Course\n")},
		"assets/x.png":    {Data: []byte("png")},
		"m/sub/notes.md":  {Data: []byte("# stray\n")},
		"m/images/ok.png": {Data: []byte("png")},
	}
	c, probs := Load(fsys, "c")
	want := []string{
		`c/m/a.md:6:1: error: image "images/gone.png" does not exist (looked for m/images/gone.png): fix the path or add the file`,
		`c/m/a.md:8:4: error: image "images/also-gone.png" does not exist (looked for m/images/also-gone.png): fix the path or add the file`,
		`c/m/a.md:10:5: warning: link "b.md#nowhere": c/m/b.md has no heading with that anchor`,
		`c/m/a.md:10:27: error: link "c.md" leads to a file that does not exist (looked for m/c.md): fix the path or create the file`,
		`c/m/a.md:10:38: error: link "../missing/" leads to a file that does not exist (looked for missing): fix the path or create the file`,
		`c/m/a.md:10:58: error: link "d%20e.md" leads to a file that does not exist (looked for m/d e.md): fix the path or create the file`,
		`c/m/a.md:12:10: error: link "%1b%5b2J.md" leads to a file that does not exist (looked for m/%1b%5b2J.md): fix the path or create the file`,
		`c/m/sub:1:1: warning: folders inside a module are ignored: move its lessons up into m`,
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c.Lesson("a") == nil || len(c.Broken) != 0 || Blocking(probs) {
		t.Errorf("a lesson whose links are broken is still shown: %v", c.Broken)
	}
}

func TestLoadDirWithoutLessonsSaysSo(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := LoadDir(dir)
	if err == nil || !errors.Is(err, ErrNoLessons) || !strings.Contains(err.Error(), "no lessons found in "+dir) || !strings.Contains(err.Error(), "markdown file") {
		t.Errorf("LoadDir of a folder without lessons: %v", err)
	}
}
