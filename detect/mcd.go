package detect

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// mcdFit holds the data and generator of one FastMCD run. It follows
// scikit-learn's fast_mcd: random subsets of about 300 rows, 500 trials in
// total with two C-steps each, the 10 best per subset pooled on up to 1500
// rows, then the best refined on all rows. Its random subsets are
// scikit-learn's too: the same RandomState permutations, drawn in the same
// order from NumPy's stream (skrand.go), so a given random_state starts from
// the same subsets as MinCovDet(random_state) does.
type mcdFit struct {
	x    []float64
	n, d int
	mt   *mt19937
}

// permute returns rows[p[0]], ..., rows[p[k-1]] for p =
// RandomState.permutation(len(rows)), as fast_mcd and _c_step index their
// current data with a permutation's prefix.
func (f *mcdFit) permute(rows []int, k int) []int {
	p := f.mt.permutation(len(rows))
	out := make([]int, k)
	for i := range out {
		out[i] = rows[p[i]]
	}
	return out
}

// estimate is one candidate of the MCD search. The precision is computed
// only when a later step needs it.
type estimate struct {
	loc, cov, prec []float64
	logdet         float64
	support        []int     // row indices (into the full data)
	dist           []float64 // Mahalanobis distances of the final candidate's rows
}

// precision returns (and caches) the inverse of cov, a pseudo-inverse when
// cov is singular.
func (e *estimate) precision(d int) []float64 {
	if e.prec == nil {
		e.prec = precisionOf(e.cov, d)
	}
	return e.prec
}

// meanCov returns the mean and the maximum-likelihood covariance (divided by
// the number of rows) of the given rows.
func (f *mcdFit) meanCov(rows []int) (loc, cov []float64) {
	d := f.d
	loc = make([]float64, d)
	for _, r := range rows {
		for j := 0; j < d; j++ {
			loc[j] += f.x[r*d+j]
		}
	}
	for j := range loc {
		loc[j] /= float64(len(rows))
	}
	cov = make([]float64, d*d)
	e := make([]float64, d)
	for _, r := range rows {
		for j := 0; j < d; j++ {
			e[j] = f.x[r*d+j] - loc[j]
		}
		for a := 0; a < d; a++ {
			// Upper triangle, row a: cov[a][a:] += e[a] * e[a:].
			floats.AddScaled(cov[a*d+a:(a+1)*d], e[a], e[a:])
		}
	}
	for a := 0; a < d; a++ {
		for b := a; b < d; b++ {
			cov[a*d+b] /= float64(len(rows))
			cov[b*d+a] = cov[a*d+b]
		}
	}
	return loc, cov
}

// logDet returns log det(cov) from an LU factorisation, -Inf when the sign
// of the determinant is not positive: NumPy's slogdet rule in scikit-learn's
// fast_logdet. A numerically singular covariance may so get either a
// (meaningless) finite value or -Inf, as it does in scikit-learn.
func logDet(cov []float64, d int) float64 {
	var lu mat.LU
	lu.Factorize(mat.NewDense(d, d, slices.Clone(cov)))
	ld, sign := lu.LogDet()
	if !(sign > 0) || math.IsNaN(ld) {
		return math.Inf(-1)
	}
	return ld
}

// wellConditioned bounds the squared ratio of Cholesky pivots for which the
// plain inverse is used; below it the eigenvalue-based pseudo-inverse
// (scikit-learn's pinvh) drops near-null directions.
const wellConditioned = 1e-10

// precisionOf returns the inverse of cov: by Cholesky when cov is well
// conditioned, else the pseudo-inverse.
func precisionOf(cov []float64, d int) []float64 {
	var ch mat.Cholesky
	if !ch.Factorize(mat.NewSymDense(d, slices.Clone(cov))) {
		return pinvh(cov, d)
	}
	var l mat.TriDense
	ch.LTo(&l)
	lo, hi := math.Inf(1), 0.0
	for i := 0; i < d; i++ {
		v := l.At(i, i) * l.At(i, i)
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if lo < wellConditioned*hi {
		return pinvh(cov, d)
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return pinvh(cov, d)
	}
	p := make([]float64, d*d)
	for a := 0; a < d; a++ {
		for b := 0; b < d; b++ {
			p[a*d+b] = inv.At(a, b)
		}
	}
	return p
}

// dists returns the Mahalanobis distances of rows under loc and the
// symmetric precision prec.
func (f *mcdFit) dists(rows []int, loc, prec []float64) []float64 {
	d := f.d
	out := make([]float64, len(rows))
	e := make([]float64, d)
	for i, r := range rows {
		x := f.x[r*d : (r+1)*d]
		for j := range e {
			e[j] = x[j] - loc[j]
		}
		var s float64
		for a := 0; a < d; a++ {
			row := prec[a*d : (a+1)*d]
			t := floats.Dot(row[a+1:], e[a+1:])
			s += e[a] * (row[a]*e[a] + 2*t)
		}
		out[i] = s
	}
	return out
}

// smallest returns the h rows with the smallest distances (ties by
// position), in their order in rows. It selects in linear expected time.
func smallest(rows []int, dist []float64, h int) []int {
	ord := make([]int, len(rows))
	for i := range ord {
		ord[i] = i
	}
	quickselect(ord, h-1, func(a, b int) bool { return dist[a] < dist[b] || (dist[a] == dist[b] && a < b) })
	mask := make([]bool, len(rows))
	for _, o := range ord[:h] {
		mask[o] = true
	}
	sup := make([]int, 0, h)
	for i, r := range rows {
		if mask[i] {
			sup = append(sup, r)
		}
	}
	return sup
}

// cstep runs up to iters concentration steps on rows from a random support
// of h rows (init == nil) or from the support closest to init. The
// distances of the result are left to the caller (see final).
func (f *mcdFit) cstep(rows []int, h, iters int, init *estimate) estimate {
	var sup []int
	if init == nil {
		sup = f.permute(rows, h)
		slices.Sort(sup)
	} else {
		sup = smallest(rows, f.dists(rows, init.loc, init.precision(f.d)), h)
	}
	loc, cov := f.meanCov(sup)
	cur := estimate{loc: loc, cov: cov, logdet: logDet(cov, f.d), support: sup}
	prev := cur
	prevDet := math.Inf(1)
	for cur.logdet < prevDet && iters > 0 && !math.IsInf(cur.logdet, -1) {
		prev = cur
		prevDet = cur.logdet
		dist := f.dists(rows, cur.loc, cur.precision(f.d))
		sup = smallest(rows, dist, h)
		loc, cov = f.meanCov(sup)
		cur = estimate{loc: loc, cov: cov, logdet: logDet(cov, f.d), support: sup}
		iters--
	}
	if !math.IsInf(cur.logdet, -1) && cur.logdet > prevDet && iters > 0 &&
		math.Abs(cur.logdet-prevDet) > 1e-8+1e-5*math.Abs(prevDet) {
		// The determinant increased (numerically): keep the previous step.
		return prev
	}
	return cur
}

// final fills e.dist with the distances of rows.
func (f *mcdFit) final(rows []int, e estimate) estimate {
	e.dist = f.dists(rows, e.loc, e.precision(f.d))
	return e
}

// selectBest runs one C-step search per trial (random starts when inits is
// nil) and returns the best k by log-determinant, ties in NumPy's argsort
// order.
func (f *mcdFit) selectBest(rows []int, h, trials int, inits []estimate, k, iters int) []estimate {
	var all []estimate
	if inits == nil {
		for t := 0; t < trials; t++ {
			all = append(all, f.cstep(rows, h, iters, nil))
		}
	} else {
		for i := range inits {
			all = append(all, f.cstep(rows, h, iters, &inits[i]))
		}
	}
	dets := make([]float64, len(all))
	for i, e := range all {
		dets[i] = e.logdet
	}
	order := argsortNumPy(dets) // scikit-learn's np.argsort: its order among equal (often -Inf) dets
	best := make([]estimate, min(k, len(all)))
	for i := range best {
		best[i] = all[order[i]]
	}
	return best
}

// fastMCD returns the raw MCD estimate of rows with support size h; dist
// covers all rows.
func (f *mcdFit) fastMCD(rows []int, h int) estimate {
	n := len(rows)
	if n <= 500 {
		best := f.selectBest(rows, h, 30, nil, 10, 2)
		return f.final(rows, f.selectBest(rows, h, 0, best, 1, 30)[0])
	}
	nSub := n / 300
	perSub := n / nSub
	shuffled := f.permute(rows, n)
	hSub := int(math.Ceil(float64(perSub) * float64(h) / float64(n)))
	trials := max(10, 500/nSub)
	var pooled []estimate
	for i := 0; i < nSub; i++ {
		sub := slices.Clone(shuffled[i*perSub : (i+1)*perSub])
		pooled = append(pooled, f.selectBest(sub, hSub, trials, nil, 10, 2)...)
	}
	nMerged := min(1500, n)
	hMerged := int(math.Ceil(float64(nMerged) * float64(h) / float64(n)))
	nBest := 1
	if n > 1500 {
		nBest = 10
	}
	merged := f.permute(rows, nMerged)
	best := f.selectBest(merged, hMerged, 0, pooled, nBest, 30)
	if n <= 1500 {
		b := f.final(merged, best[0])
		// merged is a permutation of all rows: put distances in row order.
		dist := make([]float64, f.n)
		for i, r := range merged {
			dist[r] = b.dist[i]
		}
		b.dist = dist
		return b
	}
	return f.final(rows, f.selectBest(rows, h, 0, best, 1, 30)[0])
}

// univariate is the one-feature MCD: the mean of the shortest half
// interval's ends, and the variance of the h closest rows.
func (f *mcdFit) univariate(h int) estimate {
	n := f.n
	xs := slices.Clone(f.x[:n])
	slices.Sort(xs)
	loc := 0.0
	if h < n {
		best := math.Inf(1)
		var sum float64
		var cnt int
		for i := 0; i+h < n; i++ {
			w := xs[i+h] - xs[i]
			if w < best {
				best, sum, cnt = w, 0, 0
			}
			if w == best {
				sum += 0.5 * (xs[i+h] + xs[i])
				cnt++
			}
		}
		loc = sum / float64(cnt)
	} else {
		for _, v := range xs {
			loc += v
		}
		loc /= float64(n)
	}
	all := make([]int, n)
	dev := make([]float64, n)
	for i := range all {
		all[i] = i
		dev[i] = math.Abs(f.x[i] - loc)
	}
	sup := smallest(all, dev, h)
	var mean, v float64
	for _, r := range sup {
		mean += f.x[r]
	}
	mean /= float64(len(sup))
	for _, r := range sup {
		v += (f.x[r] - mean) * (f.x[r] - mean)
	}
	v /= float64(len(sup))
	if h >= n {
		v = 0
		for _, r := range all {
			v += (f.x[r] - loc) * (f.x[r] - loc)
		}
		v /= float64(n)
	}
	prec := []float64{0}
	if v > 0 {
		prec[0] = 1 / v
	}
	e := estimate{loc: []float64{loc}, cov: []float64{v}, prec: prec, support: sup}
	e.dist = f.dists(all, e.loc, e.prec)
	return e
}
