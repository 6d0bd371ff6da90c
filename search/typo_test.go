package search

import "testing"

func TestOneTypo(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"idempotncy", "idempotency", true},
		{"idempotency", "idempotncy", true},
		{"idmepotency", "idempotency", true},
		{"idempotensy", "idempotency", true},
		{"idempotency", "idempotency", false},
		{"idempotnc", "idempotency", false},
		{"cache", "ache", true},
		{"abcd", "badc", false},
	} {
		if got := oneTypo(c.a, c.b); got != c.want {
			t.Errorf("oneTypo(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
