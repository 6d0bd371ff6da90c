package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// checkExportTarget refuses an export --output that would replace a
// database: the open progress store by any path that leads to it (a
// symbolic link, "..", a hard link), its -wal, -shm or -journal file, or
// any other SQLite file. An export is one learner's JSON; writing it there
// silently lost everyone's progress.
func checkExportTarget(out, store string) error {
	outReal, storeReal := realPath(out), realPath(store)
	outInfo, outErr := os.Stat(out)
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		same := outReal == storeReal+suffix
		if !same && outErr == nil {
			if st, err := os.Stat(store + suffix); err == nil && os.SameFile(outInfo, st) {
				same = true
			}
		}
		if same {
			return fmt.Errorf("export to %s: that is the progress database itself (%s): choose another file for the export", out, store)
		}
	}
	if outErr != nil || !outInfo.Mode().IsRegular() {
		return nil // a new file, or one the rename will refuse
	}
	f, err := os.Open(out)
	if err != nil {
		return nil // the rename decides
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err == nil && bytes.Equal(head, sqliteHeader) {
		return fmt.Errorf("export to %s: that file is an SQLite database, and an export would replace it with JSON: choose another file for the export", out)
	}
	return nil
}

// realPath is p made absolute with symbolic links resolved, as far as
// they exist.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}
