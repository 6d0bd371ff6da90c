package watch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"serverside/lessons"
)

// Generous: the suite must not flake on a busy machine. Nothing here
// asserts how fast an update comes, only that it comes, and what it says.
const (
	waitFor   = 10 * time.Second
	quietTime = 700 * time.Millisecond
)

func lesson(id, text string) string {
	return "---\nid: " + id + "\ntitle: Lesson " + id + "\n---\n\n" + text + "\n"
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// saveLikeAnEditor writes content the way vim and many IDEs do: a swap
// file, a backup, a probe file, a temporary file renamed over the lesson.
func saveLikeAnEditor(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	d, base := filepath.Dir(p), filepath.Base(p)
	write(t, dir, filepath.ToSlash(filepath.Join(filepath.Dir(rel), "."+base+".swp")), "swap")
	old, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p+"~", old, 0o644); err != nil {
		t.Fatal(err)
	}
	probe := filepath.Join(d, "4913")
	if err := os.WriteFile(probe, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(probe); err != nil {
		t.Fatal(err)
	}
	tmp := p + ".tmp1234"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(d, "."+base+".swp")); err != nil {
		t.Fatal(err)
	}
}

func start(t *testing.T, dir string, opts Options) (Update, <-chan Update) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	first, updates, err := Course(ctx, dir, opts)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		// The channel is closed once the watch has stopped.
		for range updates {
		}
	})
	return first, updates
}

func next(t *testing.T, updates <-chan Update, what string) Update {
	t.Helper()
	select {
	case u, ok := <-updates:
		if !ok {
			t.Fatalf("%s: updates closed", what)
		}
		return u
	case <-time.After(waitFor):
		t.Fatalf("%s: no update after %s", what, waitFor)
	}
	return Update{}
}

// until reads updates until one satisfies ok.
func until(t *testing.T, updates <-chan Update, what string, ok func(Update) bool) Update {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		select {
		case u, open := <-updates:
			if !open {
				t.Fatalf("%s: updates closed", what)
			}
			if ok(u) {
				return u
			}
		case <-deadline:
			t.Fatalf("%s: no such update after %s", what, waitFor)
		}
	}
}

func noMore(t *testing.T, updates <-chan Update, what string) {
	t.Helper()
	select {
	case u := <-updates:
		t.Errorf("%s: unexpected extra update, changed %v", what, u.Changed)
	case <-time.After(quietTime):
	}
}

func newCourse(t *testing.T) string {
	dir := t.TempDir()
	write(t, dir, "01-intro/01-first.md", lesson("first", "First text."))
	write(t, dir, "01-intro/02-second.md", lesson("second", "Second text."))
	return dir
}

func TestFirstUpdateIsTheCourse(t *testing.T) {
	dir := newCourse(t)
	first, _ := start(t, dir, Options{})
	if first.Course == nil || len(first.Course.Lessons()) != 2 || len(first.Problems) != 0 || first.Changed != nil {
		t.Fatalf("first update: %+v", first)
	}
	if _, _, err := Course(context.Background(), filepath.Join(dir, "nope"), Options{}); err == nil {
		t.Error("a missing folder is an error at the start")
	}
}

func TestEditorBurstMakesOneUpdate(t *testing.T) {
	dir := newCourse(t)
	first, updates := start(t, dir, Options{Debounce: 100 * time.Millisecond})
	if first.Polling {
		t.Skip("fsnotify is not available here; TestPolling covers this machine")
	}
	saveLikeAnEditor(t, dir, "01-intro/01-first.md", lesson("first", "First text, edited."))
	u := next(t, updates, "after a save")
	if u.Err != nil || !strings.Contains(u.Course.Lesson("first").Body, "edited") {
		t.Fatalf("update does not carry the saved lesson: %+v", u)
	}
	if !slices.Equal(u.Changed, []string{"01-intro/01-first.md"}) {
		t.Errorf("changed: %v", u.Changed)
	}
	if u.Course.Lesson("second") == nil {
		t.Error("other lessons are still there")
	}
	noMore(t, updates, "one save")

	// A touch, or a swap file on its own, changes nothing anyone sees.
	write(t, dir, "01-intro/.01-first.md.swp", "x")
	now := time.Now()
	if err := os.Chtimes(filepath.Join(dir, "01-intro/02-second.md"), now, now); err != nil {
		t.Fatal(err)
	}
	noMore(t, updates, "touch and swap file")
}

func TestNewLessonAndNewModuleAppear(t *testing.T) {
	dir := newCourse(t)
	_, updates := start(t, dir, Options{Debounce: 50 * time.Millisecond})
	write(t, dir, "01-intro/03-third.md", lesson("third", "Third text."))
	u := until(t, updates, "a new lesson", func(u Update) bool { return u.Course != nil && u.Course.Lesson("third") != nil })
	if !slices.Contains(u.Changed, "01-intro/03-third.md") {
		t.Errorf("changed: %v", u.Changed)
	}
	// A new folder, then a lesson inside it: the folder gets watched too.
	if err := os.Mkdir(filepath.Join(dir, "02-more"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "02-more/01-fourth.md", lesson("fourth", "Fourth text."))
	until(t, updates, "a lesson in a new module", func(u Update) bool {
		return u.Course != nil && u.Course.Lesson("fourth") != nil && u.Course.Module("02-more") != nil
	})
	// And a later save inside the new folder is seen.
	write(t, dir, "02-more/01-fourth.md", lesson("fourth", "Fourth text, again."))
	until(t, updates, "a save in the new module", func(u Update) bool {
		l := u.Course.Lesson("fourth")
		return l != nil && strings.Contains(l.Body, "again")
	})
}

func TestBrokenSaveKeepsTheLastGoodLesson(t *testing.T) {
	dir := newCourse(t)
	_, updates := start(t, dir, Options{Debounce: 50 * time.Millisecond})
	broken := "---\nid: first\ntitle: First\n---\n\nNew text.\n\n```quiz\nid: q\ntype: single\nprompt: [unclosed\n```\n"
	write(t, dir, "01-intro/01-first.md", broken)
	u := next(t, updates, "a broken save")
	l := u.Course.Lesson("first")
	if l == nil || l.Stale == nil || !strings.Contains(l.Body, "First text.") {
		t.Fatalf("want the last good lesson with its error, got %+v", l)
	}
	if !strings.Contains(l.Stale.Error(), "not valid YAML") || !lessons.HasErrors(u.Problems) {
		t.Errorf("stale error %v, problems %v", l.Stale, u.Problems)
	}
	if len(u.Course.Broken) != 0 || u.Course.Lessons()[0] != l {
		t.Error("the stale lesson stands in its place, not in Broken")
	}
	// Still broken, differently: the error follows, the text stays.
	write(t, dir, "01-intro/01-first.md", "---\nid: first\ntitle: \"\"\n---\n\nNo title now.\n")
	u = next(t, updates, "a second broken save")
	if l := u.Course.Lesson("first"); l == nil || !strings.Contains(l.Stale.Error(), "title is empty") || !strings.Contains(l.Body, "First text.") {
		t.Errorf("second broken save: %+v", l)
	}
	// Fixed.
	write(t, dir, "01-intro/01-first.md", lesson("first", "Fixed text."))
	u = next(t, updates, "the fix")
	if l := u.Course.Lesson("first"); l == nil || l.Stale != nil || !strings.Contains(l.Body, "Fixed") || len(u.Problems) != 0 {
		t.Errorf("after the fix: %+v %v", l, u.Problems)
	}
}

func TestPolling(t *testing.T) {
	t.Setenv("SERVERSIDE_POLL", "1")
	dir := newCourse(t)
	first, updates := start(t, dir, Options{Debounce: 20 * time.Millisecond, PollInterval: 30 * time.Millisecond})
	if !first.Polling {
		t.Fatal("SERVERSIDE_POLL=1 must poll")
	}
	saveLikeAnEditor(t, dir, "01-intro/02-second.md", lesson("second", "Second text, edited by polling."))
	u := until(t, updates, "a save seen by polling", func(u Update) bool {
		return strings.Contains(u.Course.Lesson("second").Body, "polling")
	})
	if !u.Polling || !slices.Equal(u.Changed, []string{"01-intro/02-second.md"}) {
		t.Errorf("polling update: polling=%v changed=%v", u.Polling, u.Changed)
	}
	write(t, dir, "03-new/01-x.md", lesson("x", "New module."))
	until(t, updates, "a new module seen by polling", func(u Update) bool { return u.Course.Lesson("x") != nil })

	// The course folder goes away and comes back.
	moved := dir + "-moved"
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	until(t, updates, "the folder gone", func(u Update) bool { return u.Err != nil })
	if err := os.Rename(moved, dir); err != nil {
		t.Fatal(err)
	}
	until(t, updates, "the folder back", func(u Update) bool { return u.Err == nil && u.Course.Lesson("x") != nil })
}

// Where watches start but events never come (WSL on a Windows drive,
// network mounts), the periodic look at the files still sees a save.
func TestSafetyNetWhenEventsNeverArrive(t *testing.T) {
	dir := newCourse(t)
	first, updates := start(t, dir, Options{Debounce: 20 * time.Millisecond, PollInterval: 50 * time.Millisecond, dropEvents: true})
	if first.Polling {
		t.Skip("fsnotify is not available here")
	}
	write(t, dir, "01-intro/01-first.md", lesson("first", "Seen without events."))
	u := until(t, updates, "a save with no events", func(u Update) bool {
		return strings.Contains(u.Course.Lesson("first").Body, "without events")
	})
	if u.Polling {
		t.Error("fsnotify is still running; only its events are missing")
	}
}

func TestCourseFolderRemovedUnderFsnotify(t *testing.T) {
	dir := newCourse(t)
	first, updates := start(t, dir, Options{Debounce: 30 * time.Millisecond, PollInterval: 50 * time.Millisecond})
	if first.Polling {
		t.Skip("fsnotify is not available here")
	}
	moved := dir + "-moved"
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(moved) })
	u := until(t, updates, "the folder gone", func(u Update) bool { return u.Err != nil })
	if !u.Polling {
		t.Error("with the folder gone, the watch polls for it to come back")
	}
	write(t, dir, "01-intro/01-first.md", lesson("first", "Back again."))
	u = until(t, updates, "the folder back", func(u Update) bool {
		return u.Err == nil && strings.Contains(u.Course.Lesson("first").Body, "Back again")
	})
	if u.Polling {
		t.Error("with the folder back, fsnotify watches it again")
	}
	// And events work again.
	write(t, dir, "01-intro/02-second.md", lesson("second", "Seen by events again."))
	until(t, updates, "a save after the folder came back", func(u Update) bool {
		return u.Err == nil && strings.Contains(u.Course.Lesson("second").Body, "events again")
	})
}

func TestSlowReaderGetsTheNewestCourse(t *testing.T) {
	dir := newCourse(t)
	_, updates := start(t, dir, Options{Debounce: 20 * time.Millisecond})
	// Nobody reads while three separate saves happen.
	for i, text := range []string{"one", "two", "three"} {
		write(t, dir, "01-intro/01-first.md", lesson("first", "Version "+text+"."))
		if i < 2 {
			time.Sleep(300 * time.Millisecond)
		}
	}
	write(t, dir, "01-intro/02-second.md", lesson("second", "Second, edited."))
	u := until(t, updates, "the newest version", func(u Update) bool {
		return strings.Contains(u.Course.Lesson("first").Body, "three") && strings.Contains(u.Course.Lesson("second").Body, "edited")
	})
	if !slices.Contains(u.Changed, "01-intro/02-second.md") {
		t.Errorf("changed: %v", u.Changed)
	}
}
