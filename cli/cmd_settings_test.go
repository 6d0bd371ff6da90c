package cli

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/adrg/xdg"

	"serverside/progress/sqlite"
)

// createDB makes an empty progress database at path.
func createDB(t *testing.T, path string) {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path)
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
		{"name.json", "{\"format\": \"serverside-progress\", \"version\": 1,\n \"user\": {\"name\": 5}}", `cannot import name.json: line 2: user.name should be text, not a number; nothing was changed`},
		{"record.json", "{\"format\": \"serverside-progress\", \"version\": 1, \"user\": {\"name\": \"a\"},\n\"attempts\": [{\"lesson_id\": \"x\"},\n {\"lesson_id\": \"y\", \"correct\": \"yes\"}]}", "cannot import record.json: line 3: attempts[1].correct should be true or false, not text"},
		{"cut.json", `{"format": "serverside-progress", "vers`, "the file ends in the middle of its JSON"},
		{"bad.json", "{\"format\":\n\"x\",}", "cannot import bad.json: line 2: not valid JSON"},
		{"other.json", `{"foo": 1}`, `unknown field "foo"`},
		{"empty.json", "", "the file is empty; nothing was changed"},
		{"invalid.json", `{"format":"serverside-progress","version":1,"user":{"name":"a"},"attempts":[{"lesson_id":"x"}]}`, "cannot import invalid.json: attempts[0]: needs lesson_id"},
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

// Every global flag can come from the environment or the config file; a
// flag given on the command line wins over the environment, which wins
// over the file, which wins over the default.
func TestSettingsPrecedence(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("# mine\ndb: /from/file.db\nuser: file-user\ntheme: light\nnew-per-day: 5\nlessons: ~/course\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SERVERSIDE_USER": "env-user", "SERVERSIDE_THEME": "dark", "SERVERSIDE_NEW_PER_DAY": "7"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	root := newRootCmd()
	fs := root.PersistentFlags()
	if err := fs.Parse([]string{"--theme", "plain"}); err != nil {
		t.Fatal(err)
	}
	if err := applySettings(fs, lookup, cfg); err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	want := map[string]string{
		"theme":       "plain",          // flag over env and file
		"user":        "env-user",       // env over file
		"new-per-day": "7",              // env over file
		"db":          "/from/file.db",  // file over default
		"lessons":     home + "/course", // ~ expanded
	}
	for name, v := range want {
		if got := fs.Lookup(name).Value.String(); got != v {
			t.Errorf("%s = %q, want %q", name, got, v)
		}
	}
	// Nothing anywhere: the defaults.
	root = newRootCmd()
	fs = root.PersistentFlags()
	if err := applySettings(fs, func(string) (string, bool) { return "", false }, filepath.Join(t.TempDir(), "none.yaml")); err != nil {
		t.Fatal(err)
	}
	if fs.Lookup("new-per-day").Value.String() != "20" || fs.Lookup("theme").Value.String() != "auto" || fs.Lookup("db").Value.String() != "" {
		t.Error("defaults without env or file")
	}

	// Through the real command line: SERVERSIDE_DB and the config file.
	dir := t.TempDir()
	t.Setenv("SERVERSIDE_CONFIG", filepath.Join(dir, "config.yaml"))
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("db: "+filepath.Join(dir, "file.db")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SERVERSIDE_DB", filepath.Join(dir, "env.db"))
	export := `{"format":"serverside-progress","version":1,"user":{"name":"ada"}}`
	if _, _, err := runRoot(t, export, "progress", "import", "-"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "env.db")); err != nil {
		t.Errorf("SERVERSIDE_DB wins over the file: %v", err)
	}
	t.Setenv("SERVERSIDE_DB", "")
	if _, _, err := runRoot(t, export, "progress", "import", "-"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "file.db")); err != nil {
		t.Errorf("the config file's db: %v", err)
	}
}

// A broken config file or environment value is an error naming the file
// and line, or the variable.
func TestSettingsErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ text, want string }{
		{"db: a.db\nnew-per-day: lots\n", ":2: new-per-day: \"lots\" is not a whole number"},
		{"db: a.db\nusr: ada\n", `:2: unknown key "usr": did you mean "user"?`},
		{"db: a.db\ncolour: red\n", `:2: unknown key "colour" (keys: db, lessons, new-per-day, theme, user)`},
		{"db: [a, b]\n", ":1: db must be a single value"},
		{"db: a.db\n  user: x\n", ":2: not valid YAML"},
		{"- db\n", ":1: the config file is 'key: value' lines"},
	}
	for i, c := range cases {
		path := filepath.Join(dir, "c"+string(rune('a'+i))+".yaml")
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		err := applySettings(newRootCmd().PersistentFlags(), func(string) (string, bool) { return "", false }, path)
		if err == nil || !strings.Contains(err.Error(), path+c.want) {
			t.Errorf("%q: want %q, got %v", c.text, path+c.want, err)
		}
	}
	err := applySettings(newRootCmd().PersistentFlags(), func(k string) (string, bool) {
		return "x", k == "SERVERSIDE_NEW_PER_DAY"
	}, filepath.Join(dir, "none.yaml"))
	if err == nil || !strings.Contains(err.Error(), `SERVERSIDE_NEW_PER_DAY="x" in the environment: "x" is not a whole number`) {
		t.Errorf("env error: %v", err)
	}
}

// TestMain keeps the tests from reading the settings of whoever runs them.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "SERVERSIDE_") && k != "SERVERSIDE_POLL" && !strings.HasPrefix(k, "SERVERSIDE_TEST_") {
			os.Unsetenv(k)
		}
	}
	os.Setenv("SERVERSIDE_CONFIG", filepath.Join(os.TempDir(), "serverside-tests-have-no-config.yaml"))
	os.Exit(m.Run())
}

func TestJSONPathAt(t *testing.T) {
	src := []byte(`{"format": "x", "attempts": [{"a": 1}, {"a": 2, "correct": "yes"}], "user": {"name": 5}}`)
	for want, after := range map[string]string{
		"attempts[1].correct": `"yes"`,
		"user.name":           `5`,
		"format":              `"x"`,
		"attempts[0].a":       `1`,
	} {
		off := int64(strings.Index(string(src), after) + len(after))
		if got := jsonPathAt(src, off); got != want {
			t.Errorf("jsonPathAt(…%s) = %q, want %q", after, got, want)
		}
	}
}

// A broken config file stops commands, with its line, but not help or
// version.
func TestBrokenConfigStillAllowsHelp(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("usr: ada\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SERVERSIDE_CONFIG", cfg)
	if _, _, err := runRoot(t, "", "list"); err == nil || !strings.Contains(err.Error(), cfg+":1: unknown key \"usr\"") {
		t.Errorf("list with a broken config: %v", err)
	}
	for _, args := range [][]string{{"help"}, {"version"}, {"--help"}, {"list", "--help"}} {
		if _, _, err := runRoot(t, "", args...); err != nil {
			t.Errorf("%v with a broken config: %v", args, err)
		}
	}
}
