package sqlite

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// A full quick_check at every open guarantees that a damaged file is never
// written, but reads every page: half a second to a second for a class of
// 1,000 learners. The guarantee only needs a check when the file changed
// since it was last known good, so the store remembers the file as it left
// it (sizes and modification times of the database and its WAL, after a
// check passed or after Close) in the cache directory, and Open skips the
// check while the file is still exactly that. Any write by anyone changes
// the modification time, so a file changed by another program, a copy or a
// damaged disk write is checked again.

// checkedDir is where the fingerprints live; tests point it elsewhere.
var checkedDir = func() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "serverside", "checked")
	}
	return ""
}

// quickChecks counts the quick_checks Open ran, for tests.
var quickChecks atomic.Int64

// fileFingerprint is what the database and its WAL look like on disk.
// racy is set on a file system with whole-second times when the file was
// written in the last two seconds: a write of the same size within the same
// second would leave the same fingerprint, so it cannot be trusted yet (the
// "racily clean" rule git uses for its index).
func fileFingerprint(path string) (fp string, ok, racy bool) {
	var b strings.Builder
	for _, p := range []string{path, path + "-wal"} {
		st, err := os.Stat(p)
		switch {
		case err == nil:
			mt := st.ModTime()
			if mt.Nanosecond() == 0 && time.Since(mt) < 2*time.Second {
				racy = true
			}
			fmt.Fprintf(&b, "%d %d;", st.Size(), mt.UnixNano())
		case os.IsNotExist(err) && p != path:
			b.WriteString("-;")
		default:
			return "", false, false
		}
	}
	return b.String(), true, racy
}

func fingerprintFile(path string) string {
	dir := checkedDir()
	if dir == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(path))
	return filepath.Join(dir, hex.EncodeToString(sum[:12]))
}

// knownGood says whether the file at path is exactly as it was when last
// recorded good.
func knownGood(path string) bool {
	fp, ok, _ := fileFingerprint(path)
	f := fingerprintFile(path)
	if !ok || f == "" {
		return false
	}
	saved, err := os.ReadFile(f)
	return err == nil && string(saved) == path+"\n"+fp
}

// recordGood remembers the file at path as good, as it is now. A failure to
// write the fingerprint only costs a check at the next open.
func recordGood(path string) {
	fp, ok, racy := fileFingerprint(path)
	f := fingerprintFile(path)
	if !ok || racy || f == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(f), 0o700); err != nil {
		return
	}
	tmp := f + ".tmp"
	if err := os.WriteFile(tmp, []byte(path+"\n"+fp), 0o600); err != nil {
		return
	}
	_ = os.Rename(tmp, f)
}
