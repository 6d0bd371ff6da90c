package lessons

import (
	"slices"
	"strconv"
	"testing"
)

// One shuffle for the TUI and the CLI: deterministic, never the answer's
// order, and safe for one item or none (the TUI's copy panicked on one).
func TestShuffledOrder(t *testing.T) {
	for _, n := range []int{-1, 0, 1} {
		got := ShuffledOrder(n, "q")
		if len(got) != max(n, 0) || (n == 1 && got[0] != 0) {
			t.Errorf("ShuffledOrder(%d) = %v", n, got)
		}
	}
	for n := 2; n <= 8; n++ {
		a, b := ShuffledOrder(n, "q"+strconv.Itoa(n)), ShuffledOrder(n, "q"+strconv.Itoa(n))
		if !slices.Equal(a, b) {
			t.Errorf("n=%d: not deterministic: %v vs %v", n, a, b)
		}
		sorted := slices.Clone(a)
		slices.Sort(sorted)
		for i, v := range sorted {
			if v != i {
				t.Fatalf("n=%d: %v is not a permutation", n, a)
			}
		}
		identity := true
		for i, v := range a {
			identity = identity && v == i
		}
		if identity {
			t.Errorf("n=%d: shown in the answer's order", n)
		}
	}
}
