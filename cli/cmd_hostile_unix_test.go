//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"serverside/internal/hostile"
)

// A lesson that is a named pipe or a link to /dev/zero: lint names it and
// says what to do, and read still shows the other lessons. Both hung or
// ran out of memory before.
func TestPipeAndDeviceLessons(t *testing.T) {
	dir := writeCourse(t, map[string]string{"01-good.md": "---\nid: good\ntitle: Good\n---\n\nGood text.\n"})
	if err := syscall.Mkfifo(filepath.Join(dir, "02-pipe.md"), 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "03-zero.md")); err != nil {
		t.Fatal(err)
	}
	var out string
	hostile.Within(t, "lint", func() { _, out, _ = runRoot(t, "", "lint", dir) })
	for _, want := range []string{
		"02-pipe.md:1:1: error: cannot read lesson: it is a named pipe (FIFO), not a regular file",
		"03-zero.md:1:1: error: cannot read lesson: it is a symbolic link to /dev/zero, which is a device, not a regular file",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lint should say %q:\n%s", want, out)
		}
	}
	var err error
	hostile.Within(t, "read", func() { out, _, err = runRoot(t, "", "read", "good", "--lessons", dir) })
	if err != nil || !strings.Contains(out, "Good text.") {
		t.Errorf("read good: %v\n%s", err, out)
	}
}
