package main

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"serverside/labs"
	"serverside/labs/testdata/refserver"
	"serverside/lessons"
	"serverside/progress"
	"serverside/tui"
)

func runCheckCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runCheckAs(t, &globals{dbPath: filepath.Join(t.TempDir(), "p.db"), user: "tess"}, args...)
}

func runCheckAs(t *testing.T, g *globals, args ...string) (string, error) {
	t.Helper()
	cmd := newCheckCmd(g)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	cmd.SetContext(t.Context())
	err := cmd.Execute()
	return out.String(), err
}

func TestCheckCmdList(t *testing.T) {
	out, err := runCheckCmd(t, "--list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "rest-resource\t") || !strings.HasPrefix(lines[1], "kv-ttl\t") {
		t.Fatalf("--list:\n%s", out)
	}
}

func TestCheckCmdPassAndFail(t *testing.T) {
	good := httptest.NewServer(refserver.KV(""))
	defer good.Close()
	out, err := runCheckCmd(t, "kv-ttl", "--addr", good.URL)
	if err != nil || !strings.Contains(out, "✓ 8. 50 concurrent PUTs") || !strings.Contains(out, "All 8 stages pass") {
		t.Fatalf("reference: %v\n%s", err, out)
	}

	bad := httptest.NewServer(refserver.KV("keep-first"))
	defer bad.Close()
	out, err = runCheckCmd(t, "kv-ttl", "--addr", strings.TrimPrefix(bad.URL, "http://"))
	var ec *exitCodeError
	if !errors.As(err, &ec) || ec.code != 1 || !ec.quiet {
		t.Fatalf("broken variant: err = %v", err)
	}
	for _, want := range []string{"✗ 4. a second PUT replaces the value", "Sent:", "Expected:", "Got:", "Not run yet:\n  5. DELETE removes a key"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckCmdErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"no-such-lab"}, {"kv-ttl", "--addr", "192.168.1.1:80"}, {"--list", "kv-ttl"}} {
		if _, err := runCheckCmd(t, args...); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
	out, err := runCheckCmd(t, "rest-resource", "--spec")
	if err != nil || !strings.HasPrefix(out, "# Build: a REST resource") {
		t.Fatalf("--spec: %v\n%s", err, out)
	}
}

// --spec is rendered markdown, here in a pipe as plain text: a table drawn,
// not its pipes and dashes, and no escapes.
func TestCheckSpecIsRendered(t *testing.T) {
	out, err := runCheckCmd(t, "rest-resource", "--spec")
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"| --- |", "| Request |", "**books**", "\x1b["} {
		if strings.Contains(out, raw) {
			t.Errorf("--spec shows %q:\n%s", raw, out)
		}
	}
	if !strings.Contains(out, "Build: a REST resource") || !strings.Contains(out, "GET /health") || !strings.Contains(out, "─┼─") {
		t.Fatalf("--spec:\n%s", out)
	}
}

// kvLab is the lesson and lab block of the built-in course that run the
// kv-ttl build lab.
func kvLab(t *testing.T) (lesson, block string) {
	t.Helper()
	c, _ := lessons.Default()
	for _, l := range c.Lessons() {
		for _, b := range l.Labs {
			if spec, err := labs.DecodeBuild(b); b.Kind == labs.KindBuild && err == nil && spec.Lab == "kv-ttl" {
				return l.ID, b.ID
			}
		}
	}
	t.Fatal("no kv-ttl lab in the built-in course")
	return "", ""
}

// A check on the command line is kept in progress as the lab screen keeps
// it: the lab's task when every stage passes, and the last check.
func TestCheckCmdRecordsProgress(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	g := &globals{dbPath: db, user: "tess"}
	lesson, block := kvLab(t)

	bad := httptest.NewServer(refserver.KV("keep-first"))
	defer bad.Close()
	out, _ := runCheckAs(t, g, "kv-ttl", "--addr", bad.URL)
	if !strings.Contains(out, "Kept in tess's progress") {
		t.Fatalf("failing check:\n%s", out)
	}
	good := httptest.NewServer(refserver.KV(""))
	defer good.Close()
	out, err := runCheckAs(t, g, "kv-ttl", "--addr", good.URL)
	if err != nil || !strings.Contains(out, "All 8 stages pass") || !strings.Contains(out, "Kept in tess's progress") {
		t.Fatalf("passing check: %v\n%s", err, out)
	}
	store, err := progress.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tasks, err := store.LabTasks(t.Context(), "tess", lesson, block)
	if err != nil || tasks["all-stages"].IsZero() {
		t.Fatalf("lab task not recorded: %v %v", tasks, err)
	}
	last, ok, err := store.LabBuild(t.Context(), "tess", lesson, block)
	if err != nil || !ok || !last.Passed || last.Addr != strings.TrimPrefix(good.URL, "http://") || len(last.Stages) != 8 {
		t.Fatalf("last check: %+v %v %v", last, ok, err)
	}
	// The same as the lab screen records it.
	l, err := store.Learner("tess")
	if err != nil {
		t.Fatal(err)
	}
	var _ tui.BuildRecorder = l
}

// A course without the lab records nothing, and says so.
func TestCheckCmdWithoutTheLabInTheCourse(t *testing.T) {
	dir := writeCourse(t, testCourse)
	good := httptest.NewServer(refserver.KV(""))
	defer good.Close()
	out, err := runCheckAs(t, &globals{dbPath: filepath.Join(t.TempDir(), "p.db"), lessonsDir: dir}, "kv-ttl", "--addr", good.URL)
	if err != nil || !strings.Contains(out, "No lesson of this course has the kv-ttl lab") {
		t.Fatalf("%v\n%s", err, out)
	}
}
