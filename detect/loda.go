package detect

import "math"

func lodaDef() algoDef {
	return algoDef{
		info: AlgorithmInfo{
			Name:     "LODA",
			Category: "ensemble",
			Description: "Lightweight On-line Detector of Anomalies (Pevný 2016), as PyOD's LODA: sparse random " +
				"projections (√d non-zero Gaussian weights) each with an equal-width histogram; the score is the mean " +
				"of -log(bin probability) over projections.",
			Parameters: withCommon(map[string]ParamSpec{
				"n_random_cuts": {Type: TypeInteger, Default: 100, Min: fp(1), Max: fp(10000),
					Description: "Number of random projections"},
				"n_bins": {Type: TypeInteger, Default: 10, Min: fp(2), Max: fp(10000),
					Description: "Equal-width bins per projection histogram"},
				"random_state": randomStateSpec(),
			}),
			Complexity:  "O(n·k·√d) fit, O(k·√d) per row",
			Scalability: "excellent",
		},
		newModel: func(p params) model {
			return &loda{cuts: p.i("n_random_cuts"), bins: p.i("n_bins"), seed: uint64(p.i("random_state"))}
		},
	}
}

// lodaEps is added to every bin count so that empty bins have a finite cost.
const lodaEps = 1e-12

// loda scores by averaged histogram surprise over sparse random projections.
type loda struct {
	cuts, bins int
	seed       uint64
	d, nnz     int
	feat       []int32   // cuts × nnz feature indexes
	weight     []float64 // cuts × nnz projection weights
	lo, width  []float64 // per cut: histogram range
	cost       []float64 // cuts × bins: -log(bin probability)
}

func (l *loda) fit(x []float64, n, d int, train []float64) error {
	l.d = d
	l.nnz = max(1, int(math.Sqrt(float64(d))))
	r := newRNG(l.seed, 0)
	l.feat = make([]int32, l.cuts*l.nnz)
	l.weight = make([]float64, l.cuts*l.nnz)
	l.lo = make([]float64, l.cuts)
	l.width = make([]float64, l.cuts)
	l.cost = make([]float64, l.cuts*l.bins)
	perm := make([]int, d)
	for i := range perm {
		perm[i] = i
	}
	proj := make([]float64, n)
	counts := make([]float64, l.bins)
	for c := 0; c < l.cuts; c++ {
		r.partialShuffle(perm, l.nnz)
		for k := 0; k < l.nnz; k++ {
			l.feat[c*l.nnz+k] = int32(perm[k])
			l.weight[c*l.nnz+k] = r.norm()
		}
		mn, mx := math.Inf(1), math.Inf(-1)
		for i := 0; i < n; i++ {
			proj[i] = l.project(c, x[i*d:(i+1)*d])
			mn = math.Min(mn, proj[i])
			mx = math.Max(mx, proj[i])
		}
		l.lo[c] = mn
		l.width[c] = (mx - mn) / float64(l.bins)
		clear(counts)
		for _, v := range proj {
			counts[l.bin(c, v)]++
		}
		var total float64
		for b := range counts {
			counts[b] += lodaEps
			total += counts[b]
		}
		for b, v := range counts {
			l.cost[c*l.bins+b] = -math.Log(v / total)
		}
	}
	for i := 0; i < n; i++ {
		train[i] = l.score(x[i*d : (i+1)*d])
	}
	return nil
}

func (l *loda) project(c int, x []float64) float64 {
	var s float64
	base := c * l.nnz
	for k := 0; k < l.nnz; k++ {
		s += l.weight[base+k] * x[l.feat[base+k]]
	}
	return s
}

// bin returns the histogram bin of v, clamping values outside the training
// range to the edge bins.
func (l *loda) bin(c int, v float64) int {
	if l.width[c] == 0 {
		return 0
	}
	f := (v - l.lo[c]) / l.width[c]
	switch {
	case !(f >= 0): // also NaN
		return 0
	case f >= float64(l.bins):
		return l.bins - 1
	}
	return int(f)
}

func (l *loda) score(x []float64) float64 {
	var s float64
	for c := 0; c < l.cuts; c++ {
		s += l.cost[c*l.bins+l.bin(c, l.project(c, x))]
	}
	return s / float64(l.cuts)
}

func (l *loda) encode(e *encoder) {
	e.int(l.d)
	e.int(l.nnz)
	e.i32s(l.feat)
	e.f64s(l.weight)
	e.f64s(l.lo)
	e.f64s(l.width)
	e.f64s(l.cost)
}

func (l *loda) decode(d *decoder, nfeat int) {
	l.d, l.nnz = d.int(), d.int()
	l.feat = d.i32s()
	l.weight, l.lo, l.width, l.cost = d.f64s(), d.f64s(), d.f64s(), d.f64s()
	if d.err != nil {
		return
	}
	if l.d != nfeat || len(l.feat) != l.cuts*l.nnz || len(l.weight) != len(l.feat) || len(l.lo) != l.cuts ||
		len(l.width) != l.cuts || len(l.cost) != l.cuts*l.bins {
		d.fail("LODA state has inconsistent sizes")
		return
	}
	for _, f := range l.feat {
		if f < 0 || int(f) >= nfeat {
			d.fail("LODA feature %d out of range", f)
			return
		}
	}
}
