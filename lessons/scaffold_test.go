package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScaffoldLintsCleanWithEveryQuestionType(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new-course")
	files, err := Scaffold(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Errorf("files written: %v", files)
	}
	c, probs, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		t.Errorf("scaffold problem: %s", p)
	}
	if len(c.Modules) != 1 || len(c.Lessons()) != 1 || c.Title != "My course" {
		t.Fatalf("want one module with one lesson, got %d modules, %d lessons", len(c.Modules), len(c.Lessons()))
	}
	types := map[QuestionType]bool{}
	for _, q := range c.Lessons()[0].Questions {
		types[q.Type] = true
		if len(q.Hints) == 0 || len(q.Refs) == 0 {
			t.Errorf("question %s has no hints or refs: examples should show both", q.ID)
		}
		if q.Type == Short && q.Pattern == "" {
			t.Error("the short question shows a pattern")
		}
		if q.Type == Numeric && (q.Unit == "" || q.Tolerance != 0) {
			t.Errorf("the numeric question shows a tolerance and a unit: %+v", q)
		}
	}
	if len(types) != len(questionTypes) {
		t.Errorf("want one question of every type, got %v", types)
	}
}

func TestScaffoldNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	if _, err := Scaffold(dir); err != nil {
		t.Fatal(err)
	}
	lessonPath := filepath.Join(dir, "01-getting-started", "01-first-lesson.md")
	if err := os.WriteFile(lessonPath, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "course.yaml")); err != nil {
		t.Fatal(err)
	}
	_, err := Scaffold(dir)
	if err == nil || !strings.Contains(err.Error(), lessonPath) || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("want an error naming %s, got %v", lessonPath, err)
	}
	if got, _ := os.ReadFile(lessonPath); string(got) != "mine" {
		t.Error("the existing lesson was changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "course.yaml")); err == nil {
		t.Error("a refused init must write nothing, but course.yaml came back")
	}
}
