package hostile

import (
	"runtime"
	"testing"
	"time"
)

// Bounds for Within: far above what a bounded render takes (tens of
// milliseconds and megabytes), far below what an unbounded one reaches. They
// are guards against running away, not measurements: speed is measured
// with benchmarks and whole-process runs.
const (
	GuardTime = 60 * time.Second
	GuardHeap = 1 << 30
)

// Within runs fn, failing the test if it has not returned within GuardTime
// or the heap grows past GuardHeap meanwhile. It returns the largest heap
// it saw, for the test's log.
func Within(t testing.TB, what string, fn func()) (peakHeap uint64) {
	t.Helper()
	return WithinBounds(t, what, GuardTime, GuardHeap, fn)
}

// WithinBounds is Within with its own bounds, for fuzzing, where one
// input should take far less.
func WithinBounds(t testing.TB, what string, limit time.Duration, heapLimit uint64, fn func()) (peakHeap uint64) {
	t.Helper()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(limit)
	for {
		select {
		case <-done:
			runtime.ReadMemStats(&ms)
			return max(peakHeap, ms.HeapAlloc-min(base, ms.HeapAlloc))
		case <-deadline:
			t.Fatalf("%s: still running after %v", what, limit)
		case <-tick.C:
			runtime.ReadMemStats(&ms)
			heap := ms.HeapAlloc - min(base, ms.HeapAlloc)
			peakHeap = max(peakHeap, heap)
			if heap > heapLimit {
				t.Fatalf("%s: heap grew past %d MB", what, heapLimit>>20)
			}
		}
	}
}
