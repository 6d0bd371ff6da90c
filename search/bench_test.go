package search

import (
	"testing"

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
	ix := Build(c)
	for _, q := range benchQueries {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix.Find(q, 50)
			}
		})
	}
}
