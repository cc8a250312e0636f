package detect

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestQuickselect checks quickselect against a full sort on random slices with many ties.
func TestQuickselect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 2000 {
		n := 1 + rng.IntN(60)
		v := make([]int, n)
		for i := range v {
			v[i] = rng.IntN(8)
		}
		k := rng.IntN(n)
		sorted := slices.Clone(v)
		slices.Sort(sorted)
		p := slices.Clone(v)
		quickselect(p, k, func(a, b int) bool { return a < b })
		if p[k] != sorted[k] {
			t.Fatalf("trial %d: p[%d] = %d, want %d (%v)", trial, k, p[k], sorted[k], v)
		}
		for i := range p {
			if (i < k && p[i] > p[k]) || (i > k && p[i] < p[k]) {
				t.Fatalf("trial %d: %v not partitioned around index %d", trial, p, k)
			}
		}
		slices.Sort(p)
		if !slices.Equal(p, sorted) {
			t.Fatalf("trial %d: elements changed", trial)
		}
	}
}
