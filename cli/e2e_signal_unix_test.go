//go:build unix

package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Closing the terminal (SIGHUP), like SIGTERM and SIGINT, ends the tutor
// cleanly: an open SQL lab removes its database from the temporary folder.
// On SIGHUP the program died at once and left it behind; on SIGTERM it
// was stopped without closing the lab.
func TestSignalsRemoveLabFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: this test drives the real binary in tmux")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	course := writeCourse(t, map[string]string{"01-sql.md": "---\nid: sql-only\ntitle: SQL only\n---\n\nA lab.\n\n" +
		"```lab\nid: shop\nkind: sql\ntitle: Shop\ntasks:\n  - id: lisbon\n    prompt: List Lisbon customers.\n" +
		"    reference: SELECT name FROM customers WHERE city = 'Lisbon'\n```\n"})
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			run := filepath.Join(t.TempDir(), "run")
			if err := os.Mkdir(run, 0o755); err != nil {
				t.Fatal(err)
			}
			tm := startTmux(t, run, []string{"env", "TMPDIR=" + tmp, bin, "--lessons", course, "--db", filepath.Join(run, "p.db"), "--user", "e2e"})
			tm.waitFor("the course map", func(s string) bool { return strings.Contains(s, "SQL only") })
			tm.send("Enter")
			tm.waitFor("the lesson", func(s string) bool { return strings.Contains(s, "open the lab") })
			tm.send("L")
			tm.waitFor("the lab", func(s string) bool { return strings.Contains(s, "Session A") })
			labFiles, _ := filepath.Glob(filepath.Join(tmp, "serverside-sql-lab-*"))
			if len(labFiles) == 0 {
				t.Fatalf("the open lab has no files in %s: has it moved?", tmp)
			}
			// The shell tmux started runs the binary as its child.
			shell := strings.TrimSpace(tm.must("display-message", "-p", "-t", "e2e", "#{pane_pid}"))
			out, err := exec.Command("pgrep", "-P", shell).Output()
			if err != nil {
				t.Fatalf("finding serverside under pid %s: %v", shell, err)
			}
			pid, err := strconv.Atoi(strings.Fields(string(out))[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := syscall.Kill(pid, sig); err != nil {
				t.Fatal(err)
			}
			tm.waitExit()
			if left, _ := filepath.Glob(filepath.Join(tmp, "serverside-sql-lab-*")); len(left) > 0 {
				t.Errorf("after %v the lab's files are still there: %v", sig, left)
			}
		})
	}
}
