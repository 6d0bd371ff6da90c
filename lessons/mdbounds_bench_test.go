package lessons

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkApplyCourse is what the bounds add to rendering each lesson of
// the built-in course (they parse it once more; glamour then renders it).
func BenchmarkApplyCourse(b *testing.B) {
	files, err := filepath.Glob("course/*/*.md")
	if err != nil || len(files) == 0 {
		b.Fatal("no course files", err)
	}
	var docs []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, string(src))
	}
	b.ResetTimer()
	for range b.N {
		for _, d := range docs {
			ApplyLimits(d, DefaultLimits)
		}
	}
}
