package lessons

import (
	"strings"
	"testing"
	"testing/fstest"
)

func lessonFile(id, text string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\nid: " + id + "\ntitle: " + id + "\n---\n\n" + text + "\n")}
}

func TestMergeLastGoodKeepsThePreviousVersionInPlace(t *testing.T) {
	fsys := fstest.MapFS{
		"m/1.md": lessonFile("one", "First."),
		"m/2.md": lessonFile("two", "Second, good."),
		"m/3.md": lessonFile("three", "Third."),
		"m/4.md": lessonFile("four", "Fourth."),
	}
	prev, probs := Load(fsys, "c")
	if len(probs) != 0 {
		t.Fatal(probs)
	}
	// Break two lessons, one of them the first of the module.
	fsys["m/1.md"] = &fstest.MapFile{Data: []byte("---\nid: one\ntitle: \"\"\n---\n\nNo title.\n")}
	fsys["m/3.md"] = &fstest.MapFile{Data: []byte("---\nid: three\ntitle: Three\n---\n\n```quiz\nid: [\n```\n")}
	fsys["m/5.md"] = &fstest.MapFile{Data: []byte("no front matter\n")}
	next, probs := Load(fsys, "c")
	if !HasErrors(probs) || len(next.Broken) != 3 {
		t.Fatalf("want three broken lessons, got %v", next.Broken)
	}
	prevOne := prev.Lesson("one")
	merged := MergeLastGood(prev, next)

	var ids []string
	for _, l := range merged.Lessons() {
		ids = append(ids, l.ID)
	}
	if strings.Join(ids, ",") != "one,two,three,four" {
		t.Errorf("lessons in order with the last good versions in place: got %v", ids)
	}
	one, three := merged.Lesson("one"), merged.Lesson("three")
	if one.Stale == nil || !strings.Contains(one.Stale.Error(), "title is empty") {
		t.Errorf("lesson one keeps the error of its file: %v", one.Stale)
	}
	if three.Stale == nil || !strings.Contains(three.Stale.Error(), "not valid YAML") || three.Body != prev.Lesson("three").Body {
		t.Errorf("lesson three is the last good version with its error: %+v", three)
	}
	if merged.Lesson("two").Stale != nil {
		t.Error("a lesson that parses is not stale")
	}
	if len(merged.Broken) != 1 || merged.Broken[0].Path != "m/5.md" {
		t.Errorf("a lesson that never parsed stays broken: %v", merged.Broken)
	}
	if prevOne.Stale != nil || prev.Lesson("one") != prevOne {
		t.Error("MergeLastGood must not touch the previous course")
	}
	if got := merged.StaleLessons(); len(got) != 2 {
		t.Errorf("StaleLessons: %v", got)
	}

	// Fixed again: the fresh version comes back and nothing is stale.
	fsys["m/1.md"] = lessonFile("one", "First, fixed.")
	again, _ := Load(fsys, "c")
	again = MergeLastGood(merged, again)
	if l := again.Lesson("one"); l.Stale != nil || !strings.Contains(l.Body, "fixed") {
		t.Errorf("fixed lesson: %+v", l)
	}
	if l := again.Lesson("three"); l.Stale == nil {
		t.Error("a lesson still broken stays stale across reloads")
	}
}

func TestMergeLastGoodDoesNotDuplicateAnID(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md": lessonFile("x", "A."),
		"b.md": lessonFile("y", "B."),
	}
	prev, _ := Load(fsys, "c")
	// a.md breaks while b.md takes a's id: a's last good version would
	// bring "x" twice into the course, so a.md stays broken.
	fsys["a.md"] = &fstest.MapFile{Data: []byte("---\nid: x\ntitle: \"\"\n---\n\nNo title.\n")}
	fsys["b.md"] = lessonFile("x", "B now says x.")
	next, _ := Load(fsys, "c")
	merged := MergeLastGood(prev, next)
	seen := map[string]int{}
	for _, l := range merged.Lessons() {
		seen[l.ID]++
	}
	if seen["x"] != 1 || seen["y"] != 0 || merged.Lesson("x").Path != "b.md" {
		t.Errorf("ids after merge: %v", seen)
	}
	if len(merged.Broken) != 1 || merged.Broken[0].Path != "a.md" {
		t.Errorf("a.md stays broken: %v", merged.Broken)
	}
	if MergeLastGood(nil, next) != next {
		t.Error("no previous course: next as it is")
	}
}
