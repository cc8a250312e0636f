package detect

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gaussMatrix returns n rows of d standard-normal values, row-major.
func gaussMatrix(n, d int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 11))
	x := make([]float64, n*d)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	return x
}

// fitForest fits an isolation forest of nTrees trees and 256 samples per tree
// on the n×d rows x with the given seed, stratified unless independent, and
// returns it with the training scores.
func fitForest(tb testing.TB, x []float64, n, d, nTrees int, seed uint64, independent bool) (*iforest, []float64) {
	tb.Helper()
	f := &iforest{nTrees: nTrees, maxSamples: 256, maxFeatures: 1, seed: seed, independent: independent}
	train := make([]float64, n)
	if err := f.fit(x, n, d, train); err != nil {
		tb.Fatalf("fit = %v", err)
	}
	return f, train
}

func TestNewStrataIsLatin(t *testing.T) {
	f := func(nTrees, cols int) {
		t.Helper()
		rank := newStrata(newRNG(42, strataStream), nTrees, cols)
		for c := 0; c < cols; c++ {
			seen := make([]bool, nTrees)
			for tr := 0; tr < nTrees; tr++ {
				k := rank[tr*cols+c]
				if k < 0 || int(k) >= nTrees || seen[k] {
					t.Fatalf("newStrata(%d, %d) column %d: rank %d repeated or out of range", nTrees, cols, c, k)
				}
				seen[k] = true
			}
		}
	}
	f(1, 2)
	f(3, 6)
	f(100, 510)
	f(1000, 14)
}

// TestIForestRootThresholdsStratified fits 100 trees on 200 rows of one
// feature: every tree sees every row, so the root threshold is lo + u·(hi-lo)
// over the same range, and the Latin hypercube puts exactly one u in each of
// the 100 strata [k/100, (k+1)/100). Independent draws leave strata empty.
func TestIForestRootThresholdsStratified(t *testing.T) {
	const n, nTrees = 200, 100
	x := gaussMatrix(n, 1, 3)
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo, hi = min(lo, v), max(hi, v)
	}
	strata := func(f *iforest) int {
		seen := map[int]bool{}
		for _, r := range f.roots {
			u := (f.nodes[r].thr - lo) / (hi - lo)
			seen[int(u*nTrees)] = true
		}
		return len(seen)
	}
	for seed := uint64(1); seed <= 3; seed++ {
		f, _ := fitForest(t, x, n, 1, nTrees, seed, false)
		if got := strata(f); got != nTrees {
			t.Errorf("seed %d: stratified root thresholds fill %d of %d strata, want all", seed, got, nTrees)
		}
		g, _ := fitForest(t, x, n, 1, nTrees, seed, true)
		if got := strata(g); got >= nTrees-10 {
			t.Errorf("seed %d: independent root thresholds fill %d of %d strata, want fewer than %d", seed, got, nTrees, nTrees-10)
		}
	}
}

// TestIForestRootFeaturesBalanced: the root's feature is floor(u·d) of a
// stratified u, so over 100 trees each of d features is the root feature
// within 2 of 100/d times (independently: a multinomial, sd 4.7 for d = 3).
func TestIForestRootFeaturesBalanced(t *testing.T) {
	const n, nTrees = 1000, 100
	for _, d := range []int{2, 3, 7} {
		x := gaussMatrix(n, d, uint64(d))
		for seed := uint64(1); seed <= 5; seed++ {
			f, _ := fitForest(t, x, n, d, nTrees, seed, false)
			count := make([]int, d)
			for _, r := range f.roots {
				count[f.nodes[r].feat]++
			}
			for j, c := range count {
				if math.Abs(float64(c)-float64(nTrees)/float64(d)) >= 2 {
					t.Errorf("d %d seed %d: feature %d is the root feature of %d trees, want %d/%d ± 2", d, seed, j, c, nTrees, d)
				}
			}
		}
	}
}

// TestIForestStratifiedLowersVariance fits 20 forests (seeds 1..20) on one
// data set, stratified and with independent draws, and compares the
// training scores across seeds. Stratification keeps each tree's
// distribution, so the seed means agree (the mean difference over rows is
// within 4 standard errors of 0); it lowers the score variance across seeds,
// averaged over rows, here by about 25% (more than 15% required).
func TestIForestStratifiedLowersVariance(t *testing.T) {
	const n, d, nTrees, seeds = 200, 2, 100, 20
	x := gaussMatrix(n, d, 9)
	moments := func(independent bool) (mean []float64, variance float64) {
		mean = make([]float64, n)
		sum2 := make([]float64, n)
		for s := uint64(1); s <= seeds; s++ {
			_, sc := fitForest(t, x, n, d, nTrees, s, independent)
			for i, v := range sc {
				mean[i] += v / seeds
				sum2[i] += v * v
			}
		}
		for i, m := range mean {
			variance += (sum2[i]/seeds - m*m) * seeds / (seeds - 1)
		}
		return mean, variance / n
	}
	ms, vs := moments(false)
	mi, vi := moments(true)
	var diff float64
	for i := range ms {
		diff += (ms[i] - mi[i]) / n
	}
	// Each row's seed mean has variance v/seeds; the rows' average difference
	// has at most the standard error sqrt((vs+vi)/seeds) (rows fully correlated).
	se := math.Sqrt((vs + vi) / seeds)
	t.Logf("mean score variance across %d seeds: stratified %.3g, independent %.3g (ratio %.3f); mean difference %.2g (se ≤ %.2g)",
		seeds, vs, vi, vs/vi, diff, se)
	if math.Abs(diff) > 4*se {
		t.Errorf("mean score stratified - independent = %.3g, want within 4 × %.3g of 0", diff, se)
	}
	if vs > 0.85*vi {
		t.Errorf("stratified score variance %.3g, want below 0.85 × independent %.3g", vs, vi)
	}
}
