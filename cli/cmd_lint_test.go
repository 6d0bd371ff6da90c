package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"serverside/lessons"
)

func runLintCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	// Through the root command, as a user runs it.
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(append([]string{"lint"}, args...))
	cmd.SetContext(t.Context())
	err = cmd.Execute()
	return out.String(), errOut.String(), err
}

func TestLintJSON(t *testing.T) {
	dir := filepath.Join("..", "lessons", "testdata", "broken")
	stdout, _, err := runLintCmd(t, "--json", dir)
	var ec *exitCodeError
	if !errors.As(err, &ec) || ec.code != 1 || !ec.quiet {
		t.Fatalf("errors in the course must exit 1 quietly, got %v", err)
	}
	// The shape other tools read: an array of objects with exactly these keys.
	var raw []map[string]any
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, stdout)
	}
	if len(raw) < 20 {
		t.Fatalf("want a problem per broken fixture, got %d", len(raw))
	}
	for _, p := range raw {
		var keys []string
		for k := range p {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if strings.Join(keys, ",") != "col,line,message,path,severity" {
			t.Fatalf("problem keys: %v", keys)
		}
		if sev := p["severity"]; sev != "error" && sev != "warning" {
			t.Errorf("severity %v", sev)
		}
	}
	var probs []lessons.Problem
	if err := json.Unmarshal([]byte(stdout), &probs); err != nil {
		t.Fatal(err)
	}
	sorted := slices.IsSortedFunc(probs, func(a, b lessons.Problem) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	if !sorted {
		t.Error("problems are sorted by path, then line")
	}
	want := lessons.Problem{Path: filepath.ToSlash(dir) + "/answer-not-choice.md", Line: 13, Col: 9, Severity: lessons.Error}
	found := false
	for _, p := range probs {
		if p.Path == want.Path && p.Line == want.Line && p.Col == want.Col && p.Severity == want.Severity {
			found = true
		}
	}
	if !found {
		t.Errorf("want %v among the problems", want)
	}

	// The text form says the same, one problem a line, on stderr.
	_, stderr, _ := runLintCmd(t, dir)
	if !strings.Contains(stderr, want.Path+":13:9: error: answer \"C\" is not among the choices") {
		t.Errorf("text output:\n%s", stderr)
	}
}

func TestLintCleanCourse(t *testing.T) {
	dir := t.TempDir()
	if _, err := lessons.Scaffold(dir); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := runLintCmd(t, "--json", dir)
	if err != nil || strings.TrimSpace(stdout) != "[]" {
		t.Fatalf("a clean course: err %v, stdout %q", err, stdout)
	}
	// Warnings alone don't fail lint.
	if err := os.WriteFile(filepath.Join(dir, "01-getting-started", "02-extra.md"), []byte("---\nid: extra\ntitle: Extra\n---\n\nText.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, err = runLintCmd(t, "--json", dir)
	if err != nil || !strings.Contains(stdout, `"severity": "warning"`) {
		t.Fatalf("warnings only: err %v, stdout %s", err, stdout)
	}
}

func TestInitCmd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "course")
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"init", dir})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "created "+filepath.Join(dir, "course.yaml")) || !strings.Contains(out.String(), "serverside lint "+dir) {
		t.Errorf("init output:\n%s", out.String())
	}
	if _, _, err := runLintCmd(t, dir); err != nil {
		t.Errorf("init's course must lint clean: %v", err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "course.yaml"))
	cmd = newRootCmd()
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"init", dir})
	err := cmd.Execute()
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("a second init must refuse, got %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "course.yaml")); !bytes.Equal(before, after) {
		t.Error("a refused init changed course.yaml")
	}
}

// Material laid out as instructors bring it (MDN pages, the system design
// primer split into lessons) lints with warnings only, and exits 0.
func TestLintBroughtMaterial(t *testing.T) {
	_, stderr, err := runLintCmd(t, filepath.Join("..", "lessons", "testdata", "brought"))
	if err != nil {
		t.Fatalf("lint: %v\n%s", err, stderr)
	}
	if !strings.HasSuffix(stderr, "8 lessons checked: 0 errors, 8 warnings\n") || strings.Contains(stderr, ": error:") {
		t.Errorf("lint output:\n%s", stderr)
	}
}
