// Package coursecache holds the built-in course already parsed, in the
// binary, so the tutor starts without parsing 48 lessons and their quiz
// blocks: the parse takes ~70 ms, and start-up is on the way to the first
// frame.
//
// course.bin is the parsed course in this package's own format (see
// codec.go), made from the embedded lesson files by
//
//	go generate ./coursecache
//
// and embedded as a string, so every string of the decoded course is a
// slice of the binary's read-only data: nothing is read from disk or
// copied, and the pages of lessons nobody opens are never touched. (On the
// machines this was measured on, a page of fresh memory touched for the
// first time cost ~18 µs; the 1.9 MB course read into the heap was ~8 ms of
// a 70 ms start.)
//
// course.bin starts with a hash of everything that decides its contents:
// every embedded course file, and the shape of the types it decodes into.
// When that is not the hash of the files this binary embeds (a lesson was
// edited and course.bin not made again), the course is parsed instead, so
// what is shown is never stale; TestEmbeddedCourseIsCurrent fails until
// course.bin is made again.
package coursecache

//go:generate go test -run ^TestEmbeddedCourseIsCurrent$ -update .

import (
	_ "embed"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"reflect"
	"strings"
	"sync"

	"serverside/lessons"
)

//go:embed course.bin
var embedded string

// entry is what course.bin holds. Its shape is part of the key.
type entry struct {
	Course   *lessons.Course
	Problems []lessons.Problem
}

// Default is lessons.Default, decoded from course.bin when it was made
// from this binary's lesson files, parsed otherwise. Each call returns a
// course of its own.
func Default() (*lessons.Course, []lessons.Problem) {
	aheadMu.Lock()
	ch := ahead
	ahead = nil
	aheadMu.Unlock()
	if ch != nil {
		r := <-ch
		return r.c, r.probs
	}
	return load()
}

func load() (*lessons.Course, []lessons.Problem) {
	if c, probs, ok := fromBin(embedded); ok {
		return c, probs
	}
	return lessons.Default()
}

// Prefetch starts loading the course in the background, for the next
// call of Default to take: a program that will need it calls Prefetch
// first thing, so the load runs beside its own start-up (parsing the
// command line) rather than after it.
func Prefetch() {
	ch := make(chan loaded, 1)
	aheadMu.Lock()
	ahead = ch
	aheadMu.Unlock()
	go func() {
		c, probs := load()
		ch <- loaded{c, probs}
	}()
}

type loaded struct {
	c     *lessons.Course
	probs []lessons.Problem
}

var (
	aheadMu sync.Mutex
	ahead   chan loaded // the course Prefetch is loading, for Default
)

// fromBin decodes bin, a course.bin, when it was made from this binary's
// lesson files.
func fromBin(bin string) (*lessons.Course, []lessons.Problem, bool) {
	k, body := split(bin)
	if body == "" || k != currentKey() {
		return nil, nil, false
	}
	c, probs, err := decode(body)
	if err != nil {
		return nil, nil, false
	}
	return c, probs, true
}

// split is course.bin's key line and the encoded course after it.
func split(bin string) (key, body string) {
	k, body, ok := strings.Cut(bin, "\n")
	if !ok {
		return "", ""
	}
	return k, body
}

// generate is what course.bin should hold for the embedded lesson files.
// A course with a broken lesson has nothing to keep: its errors are not
// data, and the parse reports them at each start instead.
func generate() []byte {
	c, probs := lessons.Default()
	if !cacheable(c) {
		return nil
	}
	return append([]byte(currentKey()+"\n"), encode(c, probs)...)
}

// cacheable is whether course.bin can keep c: a broken or stale lesson's
// error is not data it holds.
func cacheable(c *lessons.Course) bool {
	if len(c.Broken) > 0 {
		return false
	}
	for _, l := range c.Lessons() {
		if l.Stale != nil {
			return false
		}
	}
	return true
}

// currentKey is key(), once per process.
var currentKey = sync.OnceValue(func() string {
	k, err := key()
	if err != nil {
		return "unreadable: " + err.Error()
	}
	return k
})

// key hashes the embedded course's files and the decoded types' shape.
// It is checked at every start, so it is two CRC-32s (Castagnoli and
// IEEE, both done by the CPU's own instructions: a tenth of SHA-256's
// time) over every file's path, size and bytes: what it has to catch is a
// lesson edited without making course.bin again, not an attacker, and
// TestEmbeddedCourseIsCurrent compares course.bin byte for byte.
func key() (string, error) {
	h := &twoCRC{c: crc32.New(crc32.MakeTable(crc32.Castagnoli)), i: crc32.NewIEEE()}
	buf := make([]byte, 32<<10)
	fmt.Fprintf(h, "coursecache 4\n%s\n", typeShape(reflect.TypeOf(entry{})))
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
		_, err = io.CopyBuffer(h, f, buf)
		return err
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%08x%08x", h.c.Sum32(), h.i.Sum32()), nil
}

// twoCRC writes to both of its checksums.
type twoCRC struct{ c, i hash.Hash32 }

func (t *twoCRC) Write(p []byte) (int, error) {
	t.c.Write(p)
	return t.i.Write(p)
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
