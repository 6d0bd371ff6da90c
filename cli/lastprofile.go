package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"

	"github.com/adrg/xdg"

	"serverside/lessons"
	"serverside/progress/postgres"
)

// The tutor remembers the profile last chosen on its profiles screen in a
// small file beside the progress database, so the next launch (and the
// commands) use it unless --user says otherwise.
// A server (a postgres:// URL) has no folder of its own: its last profile
// is kept in the state directory under a name made from the URL.
func lastProfilePath(db string) string {
	if postgres.IsURL(db) {
		sum := sha256.Sum256([]byte(postgres.Redact(db)))
		return filepath.Join(xdg.StateHome, "serverside", "profiles", hex.EncodeToString(sum[:12]))
	}
	return db + ".profile"
}

// maxProfileFile bounds what is read back: a name is at most 64 bytes.
const maxProfileFile = 256

// readLastProfile is the remembered profile for db, or "" when there is
// none or the file holds something that can't be a name.
func readLastProfile(db string) string {
	f, err := os.Open(lastProfilePath(db))
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, maxProfileFile)
	n, _ := f.Read(buf)
	name := strings.TrimSpace(string(buf[:n]))
	if name == "" || len(name) > 64 || strings.ContainsAny(name, "\n\r") || lessons.Sanitize(name) != name {
		return ""
	}
	return name
}

// rememberProfile records name as the profile last used with db.
func rememberProfile(db, name string) error {
	path := lastProfilePath(db)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(name+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
