package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// HostKey reads the server's private host key at path, generating an
// Ed25519 key there (mode 0600, its folder 0700) when the file is missing,
// so learners' ssh sees the same host from one start to the next. A key
// file others can read is refused: anyone who reads it can pose as the
// classroom.
func HostKey(path string) (gossh.Signer, error) {
	body, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if body, err = newHostKey(path); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("host key %s: %w (check its permissions, or pass --host-key another path)", path, err)
	}
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("host key %s is readable by others (mode %v): run chmod 600 %s", path, info.Mode().Perm(), path)
	}
	signer, err := gossh.ParsePrivateKey(body)
	if err != nil {
		return nil, fmt.Errorf("host key %s is not an unencrypted OpenSSH private key (%v): move it aside to have a new one generated", path, err)
	}
	return signer, nil
}

func newHostKey(path string) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("host key %s: cannot create its folder: %w", path, err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "serverside serve host key")
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	body := pem.EncodeToMemory(block)
	// O_EXCL: two servers starting at once never overwrite each other's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("host key %s: cannot create it: %w", path, err)
	}
	if _, err := f.Write(body); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	return body, nil
}
