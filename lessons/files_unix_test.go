//go:build unix

package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A lesson file that is a named pipe, a link to /dev/zero or too large is a
// problem naming the file, never a hang or a read without end.
func TestLoadDirRefusesFilesThatAreNotPlainLessons(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("01-good.md", "---\nid: good\ntitle: Good\n---\n\nText.\n")
	if err := syscall.Mkfifo(filepath.Join(dir, "02-pipe.md"), 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "03-zero.md")); err != nil {
		t.Fatal(err)
	}
	write("04-huge.md", "---\nid: huge\ntitle: Huge\n---\n\n"+strings.Repeat("x", MaxFileSize))
	// A link to a regular file is fine.
	if err := os.Symlink("01-good.md", filepath.Join(dir, "05-link.md")); err != nil {
		t.Fatal(err)
	}

	type result struct {
		c     *Course
		probs []Problem
	}
	done := make(chan result, 1)
	go func() {
		c, probs, err := LoadDir(dir)
		if err != nil {
			t.Error(err)
		}
		done <- result{c, probs}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("loading the course did not finish: a pipe or a device was read")
	}
	want := map[string]string{
		"02-pipe.md": "it is a named pipe (FIFO), not a regular file",
		"03-zero.md": "it is a symbolic link to /dev/zero, which is a device, not a regular file",
		"04-huge.md": "it is 2.0 MB: a course file may be at most 2 MB",
	}
	for name, msg := range want {
		found := false
		for _, p := range r.probs {
			if strings.HasSuffix(p.Path, "/"+name) && p.Severity == Error && strings.Contains(p.Message, msg) {
				found = true
				if p.Line != 1 {
					t.Errorf("%s: line %d", name, p.Line)
				}
			}
		}
		if !found {
			t.Errorf("no problem for %s saying %q in %v", name, msg, r.probs)
		}
	}
	if r.c.Lesson("good") == nil {
		t.Errorf("the plain lesson should still load")
	}
	if len(r.c.Broken) != 4 { // the link to 01-good.md repeats its id
		t.Errorf("broken lessons: %v", r.c.Broken)
	}
}
