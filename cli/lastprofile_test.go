package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// The profile chosen in the tutor is the one the next launch (and every
// command) uses, unless --user says otherwise.
func TestLastProfileRemembered(t *testing.T) {
	db := filepath.Join(t.TempDir(), "progress.db")
	g := &globals{dbPath: db}
	login := g.UserName()
	if err := rememberProfile(db, "bob"); err != nil {
		t.Fatal(err)
	}
	if got := g.UserName(); got != "bob" {
		t.Errorf("after choosing bob, the user is %q", got)
	}
	g.user = "ann"
	if got := g.UserName(); got != "ann" {
		t.Errorf("--user ann gave %q", got)
	}
	g.user = ""
	// Something that can't be a name is ignored.
	if err := os.WriteFile(lastProfilePath(db), []byte("\x1b]0;evil\x07\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := g.UserName(); got != login {
		t.Errorf("a hostile profile file gave %q, want the login name %q", got, login)
	}
}
