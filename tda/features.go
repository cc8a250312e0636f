package tda

import "math"

// BettiAt returns the number of bars alive at filtration value t: Birth <= t < Death. An
// infinite bar is alive at every t >= Birth. For a Diagram d, BettiAt(d[k], t) is the
// k-th Betti number of the complex at t.
func BettiAt(bars []Bar, t float64) int {
	c := 0
	for _, b := range bars {
		if b.Birth <= t && t < b.Death {
			c++
		}
	}
	return c
}

// BarsOverEpsilon returns the number of bars with Death - Birth > eps (strictly). An
// infinite bar always counts.
func BarsOverEpsilon(bars []Bar, eps float64) int {
	c := 0
	for _, b := range bars {
		if !b.Finite() || b.Death-b.Birth > eps {
			c++
		}
	}
	return c
}

// TotalLifetime returns sum(Death - Birth) over the finite bars, in order; 0 for none.
func TotalLifetime(bars []Bar) float64 {
	s := 0.0
	for _, b := range bars {
		if b.Finite() {
			s += b.Death - b.Birth
		}
	}
	return s
}

// Entropy returns the persistence entropy of the finite bars: with l_i = Death_i - Birth_i,
// L = sum l_i and p_i = l_i / L, E = -sum p_i ln(p_i) (natural log; divide by ln 2 for
// bits). Bars of zero length contribute 0. Entropy is 0 when there is no finite bar of
// positive length. Sums run in the order of bars.
func Entropy(bars []Bar) float64 {
	return PooledEntropy(bars)
}

// PooledEntropy returns the persistence entropy of the finite bars of all the given lists
// pooled into one distribution, as Entropy does for one list. PooledEntropy(d...) for a
// Diagram d is not the sum of the per-dimension entropies.
func PooledEntropy(lists ...[]Bar) float64 {
	total := 0.0
	for _, bars := range lists {
		total += TotalLifetime(bars)
	}
	if !(total > 0) {
		return 0
	}
	e := 0.0
	for _, bars := range lists {
		for _, b := range bars {
			if l := b.Death - b.Birth; b.Finite() && l > 0 {
				p := l / total
				e -= p * math.Log(p)
			}
		}
	}
	return e
}

// FiniteRange returns the smallest finite birth and the largest finite death of bars,
// the default landscape range; (0, 0) when there is no finite bar.
func FiniteRange(bars []Bar) (lo, hi float64) {
	first := true
	for _, b := range bars {
		if !b.Finite() {
			continue
		}
		if first {
			lo, hi, first = b.Birth, b.Death, false
			continue
		}
		lo, hi = min(lo, b.Birth), max(hi, b.Death)
	}
	return lo, hi
}
