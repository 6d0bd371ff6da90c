package lessons

import (
	"hash/fnv"
	"math/rand/v2"
)

// ShuffledOrder is the order an order question's items are shown in: a
// permutation of 0..n-1 drawn from seed (the same seed, the same order, so
// the TUI, `quiz --plain` and a resumed session agree), never the answer's
// own order when there are two items or more.
func ShuffledOrder(n int, seed string) []int {
	out := make([]int, max(n, 0))
	for i := range out {
		out[i] = i
	}
	if n < 2 {
		return out
	}
	h := fnv.New64a()
	h.Write([]byte(seed))
	r := rand.New(rand.NewPCG(h.Sum64(), 7))
	for tries := 0; tries < 10; tries++ {
		r.Shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
		for i, v := range out {
			if v != i {
				return out
			}
		}
	}
	out[0], out[1] = out[1], out[0]
	return out
}
