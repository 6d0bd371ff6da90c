// Package coursecache keeps the built-in course parsed, under the user's
// cache directory, so the app starts without parsing 48 lessons and their
// quiz blocks each time: decoding the parsed course is several times
// quicker than parsing it, and start-up is on the way to the first frame.
//
// A cache file is named by a hash of everything that decides its contents:
// every embedded course file, and the shape of the types it decodes into.
// A different course or a changed type finds no file and parses, so the
// cache can never serve a stale course; a file that fails to decode is
// parsed around too.
package coursecache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"serverside/lessons"
)

// entry is what a cache file holds.
type entry struct {
	Course   *lessons.Course
	Problems []lessons.Problem
}

// Default is lessons.Default, from the cache in dir when it holds this
// course; on a miss it parses and fills the cache. A cache that can't be
// read or written only costs the parse.
func Default(dir string) (*lessons.Course, []lessons.Problem) {
	key, err := key()
	if err != nil || dir == "" {
		return lessons.Default()
	}
	path := filepath.Join(dir, "course-"+key+".gob")
	if c, probs, ok := read(path); ok {
		return c, probs
	}
	c, probs := lessons.Default()
	if len(c.Broken) == 0 { // a broken lesson's error is not data gob can keep
		write(dir, path, entry{c, probs})
	}
	return c, probs
}

// read decodes a cache file, straight from the file (the decoder
// buffers one message, so the file is not also held whole), and puts back
// each lesson's Source from the embedded files. Start-up time is mostly
// memory touched for the first time: each copy of the course costs page
// faults on the way to the first frame.
func read(path string) (*lessons.Course, []lessons.Problem, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, false
	}
	defer f.Close()
	var e entry
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&e); err != nil || e.Course == nil {
		return nil, nil, false
	}
	buf := make([]byte, 32<<10)
	for _, l := range e.Course.Lessons() {
		src, err := embeddedSource(l.Path, buf)
		if err != nil {
			return nil, nil, false
		}
		l.Source = src
	}
	return e.Course, e.Problems, true
}

// embeddedSource is the embedded file at path as the parser keeps it:
// without a byte order mark. It is read straight into the string,
// through buf.
func embeddedSource(path string, buf []byte) (string, error) {
	f, err := lessons.DefaultFS().Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(int(st.Size()))
	if _, err := io.CopyBuffer(&b, f, buf); err != nil {
		return "", err
	}
	return strings.TrimPrefix(b.String(), "\xef\xbb\xbf"), nil
}

// withoutSources is c with each lesson's Source left out: it is the
// embedded file, which the binary holds already. c itself is unchanged.
func withoutSources(c *lessons.Course) *lessons.Course {
	out := *c
	out.Modules = make([]*lessons.Module, len(c.Modules))
	for i, m := range c.Modules {
		mc := *m
		mc.Lessons = make([]*lessons.Lesson, len(m.Lessons))
		for j, l := range m.Lessons {
			lc := *l
			lc.Source = ""
			mc.Lessons[j] = &lc
		}
		out.Modules[i] = &mc
	}
	return &out
}

// write stores e atomically and removes caches of other courses.
func write(dir, path string, e entry) {
	var buf bytes.Buffer
	e.Course = withoutSources(e.Course)
	if err := gob.NewEncoder(&buf).Encode(e); err != nil {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, "course-*.tmp")
	if err != nil {
		return
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
		return
	}
	old, _ := filepath.Glob(filepath.Join(dir, "course-*.gob"))
	for _, o := range old {
		if o != path {
			os.Remove(o)
		}
	}
}

// key hashes the embedded course's files and the decoded types' shape.
func key() (string, error) {
	h := sha256.New()
	buf := make([]byte, 32<<10)
	fmt.Fprintf(h, "coursecache 2\n%s\n", typeShape(reflect.TypeOf(entry{})))
	err := fs.WalkDir(lessons.DefaultFS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := lessons.DefaultFS().Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", p, st.Size())
		_, err = io.CopyBuffer(h, f, buf) // not a copy of each file: see read
		return err
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// typeShape describes t's exported structure: field names and types, all
// the way down, so a field added anywhere in a Course changes the key.
func typeShape(t reflect.Type) string {
	var b strings.Builder
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			b.WriteString(t.Kind().String() + " ")
			walk(t.Elem())
		case reflect.Map:
			b.WriteString("map[")
			walk(t.Key())
			b.WriteString("]")
			walk(t.Elem())
		case reflect.Struct:
			b.WriteString(t.String())
			if seen[t] {
				return
			}
			seen[t] = true
			b.WriteString("{")
			for i := range t.NumField() {
				f := t.Field(i)
				if !f.IsExported() {
					continue
				}
				b.WriteString(f.Name + ":")
				walk(f.Type)
				b.WriteString(";")
			}
			b.WriteString("}")
		default:
			b.WriteString(t.String())
		}
	}
	walk(t)
	return b.String()
}
