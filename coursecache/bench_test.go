package coursecache

import (
	"testing"

	"serverside/lessons"
)

// BenchmarkDefault is loading the built-in course from course.bin, as
// every start does, beside BenchmarkParse, the parse it replaces.
func BenchmarkDefault(b *testing.B) {
	if _, _, ok := fromBin(embedded); !ok {
		b.Fatal("course.bin is stale: run go generate ./coursecache")
	}
	for b.Loop() {
		if c, _ := Default(); len(c.Modules) == 0 {
			b.Fatal("no modules")
		}
	}
}

// BenchmarkDecode is the decode alone, without the key's check.
func BenchmarkDecode(b *testing.B) {
	_, body := split(embedded)
	for b.Loop() {
		if _, _, err := decode(body); err != nil {
			b.Fatal(err)
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
