package coursecache

import (
	"testing"

	"serverside/lessons"
)

// BenchmarkDefault is loading the built-in course from a warm cache, as
// every start after the first does, beside BenchmarkParse, the parse it
// replaces.
func BenchmarkDefault(b *testing.B) {
	dir := b.TempDir()
	Default(dir)
	for b.Loop() {
		if c, _ := Default(dir); len(c.Modules) == 0 {
			b.Fatal("no modules")
		}
	}
}

func BenchmarkKey(b *testing.B) {
	for b.Loop() {
		if _, err := key(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		lessons.Default()
	}
}
