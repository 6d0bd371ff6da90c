package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/adrg/xdg"

	"serverside/progress"
)

// createDB makes an empty progress database at path.
func createDB(t *testing.T, path string) {
	t.Helper()
	s, err := progress.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// Commands that only read progress never create a database, nor the
// folders it would be in: they say the file does not exist and fail.
func TestReadOnlyCommandsCreateNothing(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"report"}, {"progress"}, {"list"}, {"users"}, {"progress", "export"},
		{"progress", "reset", "--yes"}, {"progress", "undo-reset"},
	} {
		for _, db := range []string{filepath.Join(dir, "typo.db"), filepath.Join(dir, "no", "such", "dir", "x.db")} {
			_, _, err := runRoot(t, "", append(args, "--db", db)...)
			if err == nil || !strings.Contains(err.Error(), "progress database "+db+" does not exist") {
				t.Errorf("%v --db %s: want 'does not exist', got %v", args, db, err)
			}
			if exitCode(err) != 1 {
				t.Errorf("%v: exit code %d", args, exitCode(err))
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("read-only commands created %v", entries)
	}
	// Recording progress creates the database.
	db := filepath.Join(dir, "new", "p.db")
	if _, _, err := runRoot(t, `{"format":"serverside-progress","version":1,"user":{"name":"ada"}}`, "progress", "import", "-", "--db", db); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("import creates the database: %v", err)
	}
}

// On a machine where nothing was recorded yet (the default database does
// not exist), list still shows the course, and creates nothing.
func TestListBeforeAnyProgress(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	xdg.Reload()
	t.Cleanup(xdg.Reload)
	out, _, err := runRoot(t, "", "list")
	if err != nil || !strings.Contains(out, "not started") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	_, _, err = runRoot(t, "", "progress")
	if err == nil || !strings.Contains(err.Error(), "no progress recorded yet") {
		t.Errorf("progress before any progress: %v", err)
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Errorf("created %v", entries)
	}
}

// Errors say what is wrong in the user's words: the path as typed (not
// capitalised), which field or record of the file, that nothing changed;
// never a Go type.
func TestImportErrorsNameTheFileProblem(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	cases := []struct{ name, text, want string }{
		{"myExport.json", "[1, 2]", "cannot import myExport.json: the file holds a list, but a progress export is an object"},
		{"name.json", "{\"format\": \"serverside-progress\", \"version\": 1,\n \"user\": {\"name\": 5}}", `cannot import name.json: line 2: "user.name" should be text, not a number; nothing was changed`},
		{"cut.json", `{"format": "serverside-progress", "vers`, "the file ends in the middle of its JSON"},
		{"bad.json", "{\"format\":\n\"x\",}", "cannot import bad.json: line 2: not valid JSON"},
		{"other.json", `{"foo": 1}`, `unknown field "foo"`},
		{"empty.json", "", "the file is empty; nothing was changed"},
		{"record.json", `{"format":"serverside-progress","version":1,"user":{"name":"a"},"attempts":[{"lesson_id":"x"}]}`, "cannot import record.json: attempts[0]: needs lesson_id"},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		_, _, err := runRoot(t, "", "progress", "import", c.name, "--db", db)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "nothing was changed") {
			t.Errorf("%s: want %q, got %v", c.name, c.want, err)
			continue
		}
		if msg := strings.ReplaceAll(err.Error(), c.name+":", ""); strings.Contains(msg, "exportFile") || strings.Contains(msg, "Go value") || strings.Contains(msg, "json: ") {
			t.Errorf("%s: Go's words leak: %v", c.name, err)
		}
	}
	var b strings.Builder
	printError(&b, errorString("cannot import myExport.json: bad"))
	if !strings.Contains(b.String(), "myExport.json") || strings.Contains(b.String(), "Myexport") || strings.Contains(b.String(), "Cannot") {
		t.Errorf("the error keeps the user's words: %q", b.String())
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func TestLintOfAFolderWithoutLessons(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := runLintCmd(t, dir)
	if exitCode(err) != 1 || err == nil || !strings.Contains(err.Error(), "no lessons found in "+dir) || !strings.Contains(err.Error(), "markdown file") {
		t.Errorf("lint of an empty folder: exit %d, %v, %q", exitCode(err), err, stderr)
	}
	_, _, err = runRoot(t, "", "--lessons", dir, "--db", filepath.Join(dir, "p.db"))
	if err == nil || !strings.Contains(err.Error(), "no lessons found in "+dir) {
		t.Errorf("the tutor on an empty folder: %v", err)
	}
}

func TestVersionFromBuildInfo(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-11-30T10:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	if got, want := describeVersion("", info), "v1.4.0 (commit 0123456789ab, 2026-11-30, modified), go1.26.0"; got != want {
		t.Errorf("describeVersion = %q, want %q", got, want)
	}
	if got := describeVersion("v2.0.0", info); got != "v2.0.0" {
		t.Errorf("a stamped version wins: %q", got)
	}
	if got := describeVersion("", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}); got != "(devel)" {
		t.Errorf("no VCS information: %q", got)
	}
	out, _, err := runRoot(t, "", "version")
	if err != nil || out == "serverside dev\n" || !strings.HasPrefix(out, "serverside ") {
		t.Errorf("version: %v %q", err, out)
	}
}
