package server

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	gossh "golang.org/x/crypto/ssh"
)

// KeySet is a set of public keys by SHA256 fingerprint, read from an
// authorized_keys file.
type KeySet map[string]bool

// maxKeysFile bounds an authorized_keys file: a class's keys are a few
// hundred lines.
const maxKeysFile = 4 << 20

// ReadKeys reads an authorized_keys file (OpenSSH's format: one key a
// line, options and comments allowed, # lines and blank lines skipped). A
// line that is not a key is an error naming the file and line, so a typo
// never silently locks a learner out.
func ReadKeys(path string) (KeySet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("keys file %s: %w", path, err)
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxKeysFile+1))
	if err != nil {
		return nil, fmt.Errorf("keys file %s: %w", path, err)
	}
	if len(body) > maxKeysFile {
		return nil, fmt.Errorf("keys file %s is larger than %d MiB: is it an authorized_keys file?", path, maxKeysFile>>20)
	}
	keys := KeySet{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64<<10), maxKeysFile)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, _, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("keys file %s, line %d: not a public key (%v): each line must look like \"ssh-ed25519 AAAA… name\"", path, n, err)
		}
		keys[gossh.FingerprintSHA256(key)] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("keys file %s: %w", path, err)
	}
	return keys, nil
}
