package tda

import (
	"math"
	"slices"
)

// Distances between diagrams use the L-infinity ground metric: two bars are
// max(|b1-b2|, |d1-d2|) apart, and a bar is (Death-Birth)/2 from the diagonal. Infinite
// bars are matched only among themselves, by birth: if a and b hold different numbers of
// infinite bars the distance is +Inf; otherwise the i-th smallest infinite birth of a is
// matched with the i-th smallest of b (optimal on a line). This is GUDHI's convention
// (bottleneck_distance with e=0, wasserstein_distance with order=1, internal_p=inf and
// essential parts kept). A bar with a NaN endpoint or an infinite birth makes both
// distances NaN.

// Bottleneck returns the exact bottleneck distance between the diagrams a and b: the
// smallest d such that a perfect matching of the bars of a and b, where a bar may also be
// matched with the diagonal, moves no bar by more than d. It is the maximum of the cost of
// the infinite bars and of the finite part, which is one of the pairwise or diagonal
// distances, found by binary search over them with a Hopcroft–Karp matching test.
// Bottleneck of two empty diagrams is 0. It allocates O((len(a)+len(b))^2).
func Bottleneck(a, b []Bar) float64 {
	if !valid(a) || !valid(b) {
		return math.NaN()
	}
	fa, fb, ess := splitEssential(a, b, false)
	if math.IsInf(ess, 1) {
		return ess
	}
	m, k := len(fa), len(fb)
	if m+k == 0 {
		return ess
	}
	cand := make([]float64, 0, m*k+m+k)
	for _, x := range fa {
		cand = append(cand, diagonalDistance(x))
		for _, y := range fb {
			cand = append(cand, linf(x, y))
		}
	}
	for _, y := range fb {
		cand = append(cand, diagonalDistance(y))
	}
	slices.Sort(cand)
	cand = slices.Compact(cand)
	hk := newMatcher(m, k)
	lo, hi := 0, len(cand)-1 // matching at cand[hi] always exists: it is the largest cost
	for lo < hi {
		mid := (lo + hi) / 2
		if hk.perfect(fa, fb, cand[mid]) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return max(ess, cand[lo])
}

// Wasserstein1 returns the exact 1-Wasserstein distance between the diagrams a and b: the
// minimum over perfect matchings (bars to bars or to the diagonal) of the sum of the
// L-infinity costs, plus the cost of the infinite bars (sum of |birth differences|). The
// finite part is an assignment problem on len(a)+len(b) rows, solved by the shortest
// augmenting path Hungarian algorithm in O((len(a)+len(b))^3) time. Wasserstein1 of two
// empty diagrams is 0.
func Wasserstein1(a, b []Bar) float64 {
	if !valid(a) || !valid(b) {
		return math.NaN()
	}
	fa, fb, ess := splitEssential(a, b, true)
	if math.IsInf(ess, 1) {
		return ess
	}
	m, k := len(fa), len(fb)
	if m+k == 0 {
		return ess
	}
	n := m + k
	cost := make([]float64, n*n)
	top := 0.0
	for i := range n {
		for j := range n {
			var c float64
			switch {
			case i < m && j < k:
				c = linf(fa[i], fb[j])
			case i < m:
				c = diagonalDistance(fa[i])
			case j < k:
				c = diagonalDistance(fb[j])
			}
			cost[i*n+j] = c
			top = max(top, c)
		}
	}
	// Solve on costs scaled into [0, 1] by a power of two (exact), so that the potentials
	// cannot overflow; the total is summed from the unscaled costs.
	scaled := make([]float64, n*n)
	_, e := math.Frexp(top)
	for i, c := range cost {
		scaled[i] = math.Ldexp(c, -e)
	}
	assign := hungarian(scaled, n)
	s := 0.0
	for i, j := range assign {
		s += cost[i*n+j]
	}
	return s + ess
}

// splitEssential returns the finite bars of a and b and the cost of matching their
// infinite bars by sorted births: the largest difference, or with sum the total of the
// differences. The cost is +Inf if the numbers of infinite bars differ.
func splitEssential(a, b []Bar, sum bool) (fa, fb []Bar, cost float64) {
	var ia, ib []float64
	for _, x := range a {
		if x.Finite() {
			fa = append(fa, x)
		} else {
			ia = append(ia, x.Birth)
		}
	}
	for _, y := range b {
		if y.Finite() {
			fb = append(fb, y)
		} else {
			ib = append(ib, y.Birth)
		}
	}
	if len(ia) != len(ib) {
		return fa, fb, math.Inf(1)
	}
	slices.Sort(ia)
	slices.Sort(ib)
	for i := range ia {
		d := math.Abs(ia[i] - ib[i])
		if sum {
			cost += d
		} else {
			cost = max(cost, d)
		}
	}
	return fa, fb, cost
}

// valid reports whether every bar has a finite birth and a non-NaN death.
func valid(bars []Bar) bool {
	for _, b := range bars {
		if math.IsNaN(b.Birth) || math.IsInf(b.Birth, 0) || math.IsNaN(b.Death) || math.IsInf(b.Death, -1) {
			return false
		}
	}
	return true
}

func linf(x, y Bar) float64 {
	return max(math.Abs(x.Birth-y.Birth), math.Abs(x.Death-y.Death))
}

func diagonalDistance(x Bar) float64 { return (x.Death - x.Birth) / 2 }

// matcher tests for a perfect matching in the bottleneck graph at a given radius with the
// Hopcroft–Karp algorithm. Left vertices are the m bars of a then k diagonal copies of the
// bars of b; right vertices are the k bars of b then m diagonal copies of the bars of a.
type matcher struct {
	m, k         int
	matchL       []int
	matchR       []int
	dist         []int
	queue, stack []int
	iter         []int
}

func newMatcher(m, k int) *matcher {
	n := m + k
	return &matcher{m: m, k: k, matchL: make([]int, n), matchR: make([]int, n),
		dist: make([]int, n), queue: make([]int, 0, n), iter: make([]int, n)}
}

// adjacent reports whether left u and right v are joined at radius r.
func (h *matcher) adjacent(fa, fb []Bar, u, v int, r float64) bool {
	m, k := h.m, h.k
	switch {
	case u < m && v < k:
		return linf(fa[u], fb[v]) <= r
	case u < m:
		return v-k == u && diagonalDistance(fa[u]) <= r
	case v < k:
		return u-m == v && diagonalDistance(fb[v]) <= r
	default:
		return true // diagonal to diagonal costs nothing
	}
}

// perfect reports whether the graph at radius r has a perfect matching.
func (h *matcher) perfect(fa, fb []Bar, r float64) bool {
	n := h.m + h.k
	for i := range n {
		h.matchL[i], h.matchR[i] = -1, -1
	}
	matched := 0
	for {
		// BFS from the free left vertices builds the layers.
		h.queue = h.queue[:0]
		for u := range n {
			if h.matchL[u] < 0 {
				h.dist[u] = 0
				h.queue = append(h.queue, u)
			} else {
				h.dist[u] = -1
			}
		}
		found := false
		for qi := 0; qi < len(h.queue); qi++ {
			u := h.queue[qi]
			for v := range n {
				if !h.adjacent(fa, fb, u, v, r) {
					continue
				}
				w := h.matchR[v]
				if w < 0 {
					found = true
				} else if h.dist[w] < 0 {
					h.dist[w] = h.dist[u] + 1
					h.queue = append(h.queue, w)
				}
			}
		}
		if !found {
			return matched == n
		}
		for u := range n {
			h.iter[u] = 0
		}
		for u := range n {
			if h.matchL[u] < 0 && h.augment(fa, fb, u, r) {
				matched++
			}
		}
	}
}

// augment looks for an augmenting path from the free left vertex u along the BFS layers.
func (h *matcher) augment(fa, fb []Bar, u int, r float64) bool {
	n := h.m + h.k
	for ; h.iter[u] < n; h.iter[u]++ {
		v := h.iter[u]
		if !h.adjacent(fa, fb, u, v, r) {
			continue
		}
		w := h.matchR[v]
		if w < 0 || (h.dist[w] == h.dist[u]+1 && h.augment(fa, fb, w, r)) {
			h.matchL[u], h.matchR[v] = v, u
			h.iter[u]++
			return true
		}
	}
	h.dist[u] = -1
	return false
}

// hungarian solves the n x n assignment problem min sum cost[i*n+p(i)] and returns p. It
// is the O(n^3) shortest augmenting path method with row and column potentials.
func hungarian(cost []float64, n int) []int {
	inf := math.Inf(1)
	u := make([]float64, n+1)
	v := make([]float64, n+1)
	p := make([]int, n+1) // p[j]: row matched to column j (1-based), 0 for none
	way := make([]int, n+1)
	minv := make([]float64, n+1)
	used := make([]bool, n+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j], used[j] = inf, false
		}
		for p[j0] != 0 || j0 == 0 {
			used[j0] = true
			i0, delta, j1 := p[j0], inf, 0
			row := cost[(i0-1)*n : i0*n]
			for j := 1; j <= n; j++ {
				if used[j] {
					continue
				}
				if cur := row[j-1] - u[i0] - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= n; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	assign := make([]int, n)
	for j := 1; j <= n; j++ {
		assign[p[j]-1] = j - 1
	}
	return assign
}
