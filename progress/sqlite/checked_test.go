package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// A file this store left behind opens without reading every page again;
// the same file changed behind its back (here: damaged) is checked, and
// the damage is found.
func TestOpenChecksOnlyAChangedFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "progress.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		record(t, s, "ada", "l", "q"+string(rune('a'+i%26)), true, 0, s.now())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := quickChecks.Load()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if n := quickChecks.Load() - before; n != 0 {
		t.Errorf("reopening the file it left ran %d quick_checks, want none", n)
	}

	path = damagedDatabase(t) // written by the store, then damaged by hand
	before = quickChecks.Load()
	wantOpenError(t, path, "damaged")
	if quickChecks.Load() == before {
		t.Error("a file changed since the store closed it was not checked")
	}
	// The fingerprint lives outside the database's folder: a read-only
	// command leaves nothing beside the file.
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "progress.db" {
			t.Errorf("found %s beside the database", e.Name())
		}
	}
}
