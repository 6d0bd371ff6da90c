package lessons

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// MaxFileSize is the largest lesson file (or course.yaml) a course may
// hold. A lesson is read whole into memory, so the bound keeps a stray
// dump, or a link to a device, from taking all of it.
const MaxFileSize = 2 << 20

// readBounded reads one file of a course. It must be a regular file (a
// symbolic link to one is fine) of at most MaxFileSize bytes: a named pipe
// would block forever and a link to /dev/zero never ends. The error says
// what the file is instead and what to do; it does not name the file.
func readBounded(fsys fs.FS, name string) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if err := regular(fsys, name, st); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// What was opened may not be what was looked at.
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regular(fsys, name, st); err != nil {
		return nil, err
	}
	src, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(src) > MaxFileSize {
		return nil, tooLarge(int64(len(src)))
	}
	return src, nil
}

func regular(fsys fs.FS, name string, st fs.FileInfo) error {
	if st.Mode().IsRegular() {
		if st.Size() > MaxFileSize {
			return tooLarge(st.Size())
		}
		return nil
	}
	what := "not a regular file"
	switch m := st.Mode(); {
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO), not a regular file"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		what = "a device, not a regular file"
	case m&fs.ModeSocket != 0:
		what = "a socket, not a regular file"
	case m.IsDir():
		what = "a folder, not a file"
	}
	if target, err := fs.ReadLink(fsys, name); err == nil {
		what = fmt.Sprintf("a symbolic link to %s, which is %s", target, what)
	}
	return fmt.Errorf("it is %s: lessons and course.yaml must be plain files; put the file itself here", what)
}

func tooLarge(size int64) error {
	return fmt.Errorf("it is %.1f MB: a course file may be at most %d MB; split it into several lessons", float64(size)/(1<<20), MaxFileSize>>20)
}

// diskFS is a course folder on disk, as os.DirFS reads it, except that
// files open without blocking: a named pipe that slips in between the
// check and the open (readBounded checks again after opening) cannot
// hang the program.
type diskFS string

func (d diskFS) path(name, op string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return filepath.Join(string(d), filepath.FromSlash(name)), nil
}

func (d diskFS) Open(name string) (fs.File, error) {
	p, err := d.path(name, "open")
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, unwrapPath(err, name)
	}
	return f, nil
}

func (d diskFS) Stat(name string) (fs.FileInfo, error) {
	p, err := d.path(name, "stat")
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(p)
	return st, unwrapPath(err, name)
}

func (d diskFS) ReadLink(name string) (string, error) {
	p, err := d.path(name, "readlink")
	if err != nil {
		return "", err
	}
	t, err := os.Readlink(p)
	return t, unwrapPath(err, name)
}

func (d diskFS) Lstat(name string) (fs.FileInfo, error) {
	p, err := d.path(name, "lstat")
	if err != nil {
		return nil, err
	}
	st, err := os.Lstat(p)
	return st, unwrapPath(err, name)
}

// unwrapPath names the file by its path in the course, as os.DirFS does.
func unwrapPath(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		pe.Path = name
	}
	return err
}
