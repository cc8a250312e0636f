package detect

import (
	"math"
	"sort"
)

func ecodDef() algoDef {
	return algoDef{
		info: AlgorithmInfo{
			Name:     "ECOD",
			Category: "statistical",
			Description: "Empirical-CDF outlier detection (Li et al. 2022), as PyOD's ECOD: per feature the left and right " +
				"tail probabilities under the training ECDF; the score sums, over features, the largest of -log(left), " +
				"-log(right) and the skewness-chosen tail. Parameter-free.",
			Parameters:  withCommon(map[string]ParamSpec{}),
			Complexity:  "O(n·d·log n) fit, O(d·log n) per row",
			Scalability: "excellent",
		},
		newModel: func(p params) model { return &tails{copula: false} },
	}
}

// tails holds per-feature sorted training values and skewness signs, shared
// by ECOD and COPOD. The left tail of v is #{train <= v}/n, the right tail
// #{train >= v}/n; a value beyond every training value gets 1/(n+1), so
// scores stay finite and monotone outside the training range.
type tails struct {
	copula bool
	n, d   int
	sorted []float64 // feature-major: feature j holds sorted[j*n:(j+1)*n]
	skew   []int8    // sign of the sample skewness per feature
}

func (t *tails) fit(x []float64, n, d int, train []float64) error {
	t.n, t.d = n, d
	t.sorted = make([]float64, n*d)
	t.skew = make([]int8, d)
	for j := 0; j < d; j++ {
		col := t.sorted[j*n : (j+1)*n]
		var mean float64
		for i := 0; i < n; i++ {
			col[i] = x[i*d+j]
			mean += col[i]
		}
		mean /= float64(n)
		var m2, m3 float64
		for _, v := range col {
			e := v - mean
			m2 += e * e
			m3 += e * e * e
		}
		m2 /= float64(n)
		m3 /= float64(n)
		if m2 > 0 {
			// Sign of m3 / m2^1.5, the biased sample skewness (scipy's skew);
			// a skewness within rounding of zero counts as zero.
			s := m3 / math.Pow(m2, 1.5)
			switch {
			case s > 1e-12:
				t.skew[j] = 1
			case s < -1e-12:
				t.skew[j] = -1
			}
		}
		sortFloats(col)
	}
	for i := 0; i < n; i++ {
		train[i] = t.score(x[i*d : (i+1)*d])
	}
	return nil
}

// tailLogs returns -log of the left and right tail probabilities of v for
// feature j.
func (t *tails) tailLogs(j int, v float64) (ul, ur float64) {
	col := t.sorted[j*t.n : (j+1)*t.n]
	le := sort.Search(len(col), func(i int) bool { return col[i] > v })  // #{<= v}
	lt := sort.Search(len(col), func(i int) bool { return col[i] >= v }) // #{< v}
	ge := len(col) - lt
	n := float64(t.n)
	tail := func(c int) float64 {
		if c == 0 {
			return math.Log(n + 1)
		}
		return -math.Log(float64(c) / n)
	}
	return tail(le), tail(ge)
}

func (t *tails) score(x []float64) float64 {
	var s float64
	for j, v := range x {
		ul, ur := t.tailLogs(j, v)
		var us float64
		switch t.skew[j] {
		case -1:
			us = ul
		case 1:
			us = ur
		default:
			us = ul + ur
		}
		if t.copula {
			s += math.Max(us, (ul+ur)/2)
		} else {
			s += math.Max(us, math.Max(ul, ur))
		}
	}
	return s
}

func (t *tails) encode(e *encoder) {
	e.int(t.n)
	e.int(t.d)
	e.f64s(t.sorted)
	e.int(len(t.skew))
	for _, s := range t.skew {
		e.u8(uint8(s))
	}
}

func (t *tails) decode(d *decoder, nfeat int) {
	t.n, t.d = d.int(), d.int()
	t.sorted = d.f64s()
	k := d.count(1)
	t.skew = make([]int8, k)
	for i := range t.skew {
		t.skew[i] = int8(d.u8())
		if t.skew[i] < -1 || t.skew[i] > 1 {
			d.fail("skewness sign %d", t.skew[i])
		}
	}
	if d.err == nil && (t.d != nfeat || k != t.d || len(t.sorted) != t.n*t.d || t.n == 0) {
		d.fail("ECDF state has inconsistent sizes")
	}
}
