package lessons

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// scaffold is the course `serverside init` writes: course.yaml, one module
// and one lesson asking one question of every type.
//
//go:embed scaffold
var scaffold embed.FS

// Scaffold writes a new course into dir (created if needed) and returns the
// files it wrote. It never overwrites: when any of its files already
// exists it writes nothing and says which.
func Scaffold(dir string) ([]string, error) {
	sub, err := fs.Sub(scaffold, "scaffold")
	if err != nil {
		return nil, err
	}
	var files []string
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(f))
		if _, err := os.Lstat(target); err == nil {
			// The message starts with a word: error printers capitalise
			// the first word, which would mangle a path.
			return nil, fmt.Errorf("will not overwrite %s, which already exists: pick an empty folder, or move the file away", target)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", target, err)
		}
	}
	var written []string
	undo := func() {
		for _, p := range written {
			_ = os.Remove(p)
		}
	}
	for _, f := range files {
		data, err := fs.ReadFile(sub, f)
		if err != nil {
			undo()
			return nil, err
		}
		target := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			undo()
			return nil, err
		}
		// O_EXCL: a file that appeared since the check above is not ours.
		out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			undo()
			return nil, err
		}
		written = append(written, target)
		_, werr := out.Write(data)
		if cerr := out.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			undo()
			return nil, fmt.Errorf("%s: %w", target, werr)
		}
	}
	return written, nil
}
