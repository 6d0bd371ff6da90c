package lessons

import (
	"fmt"
	"strings"
	"testing"
)

// TestCourseMinimums holds the built-in course to the size and shape the
// curriculum promises, so it cannot silently shrink.
func TestCourseMinimums(t *testing.T) {
	c, probs := Default()
	if len(probs) > 0 {
		t.Fatalf("the built-in course has problems: %v", probs)
	}
	if len(c.Modules) < 8 {
		t.Errorf("want at least 8 modules, have %d", len(c.Modules))
	}
	if n := len(c.Lessons()); n < 36 {
		t.Errorf("want at least 36 lessons, have %d", n)
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
