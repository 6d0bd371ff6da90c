package search

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"serverside/lessons"
)

// Queries a learner might type, including a one-letter prefix (the first
// key press of every search) and words that are everywhere.
var benchQueries = []string{"e", "etag", "private cache", "cache-control max-age", "idempotent retry", "the", "sql injection", "tls handshake"}

func BenchmarkBuildIndex(b *testing.B) {
	c, _ := lessons.Default()
	b.ReportAllocs()
	for b.Loop() {
		Build(c)
	}
}

func BenchmarkSearch(b *testing.B) {
	c, _ := lessons.Default()
	benchFind(b, Build(c))
}

// A course six times the built-in one (288 lessons, about 4 MB), to see
// how both grow with the course.
func BenchmarkBuildIndexLarge(b *testing.B) {
	c := largeCourse(b)
	b.ReportAllocs()
	for b.Loop() {
		Build(c)
	}
}

func BenchmarkSearchLarge(b *testing.B) {
	benchFind(b, Build(largeCourse(b)))
}

func benchFind(b *testing.B, ix *Index) {
	for _, q := range benchQueries {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix.Find(q, 50)
			}
		})
	}
}

func largeCourse(b *testing.B) *lessons.Course {
	b.Helper()
	src := lessons.DefaultFS()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		for k := range 6 {
			text := strings.Replace(string(data), "\nid: ", fmt.Sprintf("\nid: c%d-", k), 1)
			fsys[fmt.Sprintf("copy%d-%s", k, strings.ReplaceAll(p, "/", "-"))] = &fstest.MapFile{Data: []byte(text)}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	c, _ := lessons.Load(fsys, "large")
	if n := len(c.Lessons()); n < 250 {
		b.Fatalf("large course has %d lessons", n)
	}
	return c
}
