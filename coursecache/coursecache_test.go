package coursecache

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"serverside/lessons"
)

// The cached course is the parsed course, field for field.
func TestCachedCourseIsTheParsedOne(t *testing.T) {
	dir := t.TempDir()
	want, wantProbs := lessons.Default()
	first, _ := Default(dir) // parses and fills the cache
	files, _ := filepath.Glob(filepath.Join(dir, "course-*.gob"))
	if len(files) != 1 {
		t.Fatalf("cache files: %v", files)
	}
	got, probs := Default(dir) // from the cache
	for _, c := range []*lessons.Course{first, got} {
		if len(c.Lessons()) != len(want.Lessons()) {
			t.Fatalf("%d lessons, want %d", len(c.Lessons()), len(want.Lessons()))
		}
		for i, l := range c.Lessons() {
			w := want.Lessons()[i]
			if !reflect.DeepEqual(l.Questions, w.Questions) || l.Body != w.Body || l.Title != w.Title || l.Source != w.Source ||
				!reflect.DeepEqual(l.Links, w.Links) || !reflect.DeepEqual(l.Headings, w.Headings) || !reflect.DeepEqual(l.Labs, w.Labs) {
				t.Fatalf("lesson %s differs from the parsed one", l.ID)
			}
		}
	}
	if !reflect.DeepEqual(probs, wantProbs) && !(len(probs) == 0 && len(wantProbs) == 0) {
		t.Errorf("problems %v, want %v", probs, wantProbs)
	}
}

// A damaged cache file is parsed around, never trusted.
func TestDamagedCacheIsIgnored(t *testing.T) {
	dir := t.TempDir()
	Default(dir)
	files, _ := filepath.Glob(filepath.Join(dir, "course-*.gob"))
	if len(files) != 1 {
		t.Fatalf("cache files: %v", files)
	}
	if err := os.WriteFile(files[0], []byte("not gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, _ := Default(dir)
	if len(c.Lessons()) != len(mustDefault(t).Lessons()) {
		t.Fatal("damaged cache gave a different course")
	}
}

// The key changes with the shape of the types: a new field in a Question
// must not decode from an old file as its zero value.
func TestKeyFollowsTypeShape(t *testing.T) {
	type q1 struct{ ID string }
	type q2 struct {
		ID   string
		Hint string
	}
	if typeShape(reflect.TypeOf(q1{})) == typeShape(reflect.TypeOf(q2{})) {
		t.Fatal("a new field leaves the shape unchanged")
	}
	s := typeShape(reflect.TypeOf(entry{}))
	for _, want := range []string{"Questions:", "Prompt:string", "Hints:slice string"} {
		if !strings.Contains(s, want) {
			t.Errorf("shape lacks %q: %.300s", want, s)
		}
	}
}

func mustDefault(t *testing.T) *lessons.Course {
	c, _ := lessons.Default()
	return c
}
