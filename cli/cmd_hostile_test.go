package cli

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"serverside/internal/hostile"
	"strings"
	"testing"

	"serverside/termsafe"
)

// assertNothingReaches fails when CLI output holds anything a terminal
// would obey beyond SGR and OSC 8.
func assertNothingReaches(t *testing.T, what, out string) {
	t.Helper()
	if bad := termsafe.Reaches(out); bad != "" {
		t.Errorf("%s lets %s reach the terminal:\n%q", what, bad, out)
	}
}

// check prints the learner's service's status line, headers and body
// sanitised.
func TestCheckCmdSanitisesTheService(t *testing.T) {
	addr := hostile.RawService(t, hostile.EscapingReply)
	out, _ := runCheckCmd(t, "rest-resource", "--addr", addr)
	if !strings.Contains(out, "X-Evil:") {
		t.Fatalf("the failure does not show the response:\n%s", out)
	}
	assertNothingReaches(t, "check", out)
}

// lint prints lesson file names and SQL error text sanitised.
func TestLintSanitisesNamesAndSQLErrors(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "m")
	if err := os.Mkdir(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "course.yaml"), []byte("title: C\nmodules:\n  - path: m\n    title: M\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A file name with OSC 0, CSI 2J and a bidi override, and no front
	// matter (an error naming the file).
	if err := os.WriteFile(filepath.Join(mod, "a\x1b]0;pwned\x07\x1b[2J\u202e.md"), []byte("no front matter\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lab := "```lab\nid: q\nkind: sql\ntasks:\n  - id: a\n    prompt: p\n    reference: \"SELECT * FROM \\\"t\\e]52;c;eA==\\a\\u202e\\\"\"\n```\n"
	if err := os.WriteFile(filepath.Join(mod, "b.md"), []byte("---\nid: b\ntitle: B\n---\n\n# B\n\nText.\n\n"+lab), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, _ := runLintCmd(t, dir)
	if !strings.Contains(stderr, "no front matter") || !strings.Contains(stderr, "reference query fails") {
		t.Fatalf("lint does not report both problems:\n%s", stderr)
	}
	assertNothingReaches(t, "lint", stderr)
}

// report and users print ids and names from the database sanitised: an
// older database (or one written by another tool) can hold anything.
func TestReportAndUsersSanitiseWhatTheDatabaseHolds(t *testing.T) {
	g := &globals{dbPath: filepath.Join(t.TempDir(), "p.db"), user: "ada"}
	seedProgress(t, g)
	st, err := g.OpenStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Flag(context.Background(), "ada", "l\x1b]0;pwned\x07", "q\x1bP+q\x1b\\\u202e", "c\x1b_apc\x1b\\"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite", g.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO users(name, created_at) VALUES (?, 0)", "eve\u202etxt.exe\x1b]52;c;eA==\x07"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, format := range []string{"table", "csv"} {
		out, _, err := runProgressCmd(t, newReportCmd(g), "", "--format", format)
		if err != nil {
			t.Fatal(err)
		}
		if format == "table" && !strings.Contains(out, "Flagged questions") {
			t.Fatalf("no flags in the report:\n%s", out)
		}
		assertNothingReaches(t, "report --format "+format, out)
	}
	out, _, err := runProgressCmd(t, newUsersCmd(g), "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "evetxt.exe") {
		t.Fatalf("users does not list eve:\n%s", out)
	}
	assertNothingReaches(t, "users", out)
	// JSON keeps the values exactly, with the controls escaped.
	for name, cmd := range map[string]func() (string, string, error){
		"users --json":         func() (string, string, error) { return runProgressCmd(t, newUsersCmd(g), "", "--json") },
		"report --format json": func() (string, string, error) { return runProgressCmd(t, newReportCmd(g), "", "--format", "json") },
	} {
		out, _, err := cmd()
		if err != nil {
			t.Fatal(err)
		}
		if name == "users --json" && !strings.Contains(out, `eve\u202etxt.exe`) {
			t.Errorf("%s does not keep the name, escaped:\n%s", name, out)
		}
		assertNothingReaches(t, name, out)
	}
}
