package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// export --output never replaces a database: not the open store (by any
// path that leads to it), not its WAL, not another SQLite file. It did:
// a 6-learner database became one learner's JSON, exit 0.
func TestExportRefusesToOverwriteADatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	g := &globals{dbPath: db, user: "ada"}
	seedProgress(t, g)
	other := filepath.Join(dir, "other.db")
	seedProgress(t, &globals{dbPath: other, user: "ada"})
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ out, want string }{
		{db, "is the progress database itself"},
		{filepath.Join(sub, "..", "p.db"), "is the progress database itself"},
		{link, "is the progress database itself"},
		{db + "-wal", "is the progress database itself"},
		{other, "is an SQLite database"},
	} {
		_, _, err := runProgressCmd(t, newProgressCmd(g), "", "export", "-o", tc.out)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "choose another file") {
			t.Errorf("export -o %s: want an error saying %q, got %v", tc.out, tc.want, err)
		}
	}
	after, err := os.ReadFile(db)
	if err != nil || len(after) < len(before) || !strings.HasPrefix(string(after), "SQLite format 3\x00") {
		t.Fatalf("the database was touched: %d bytes before, %d after, %v", len(before), len(after), err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	// A JSON file is replaced as before.
	out := filepath.Join(dir, "ada.json")
	if err := os.WriteFile(out, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runProgressCmd(t, newProgressCmd(g), "", "export", "-o", out); err != nil {
		t.Fatal(err)
	}
}
