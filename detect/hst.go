package detect

import (
	"errors"
	"math"
)

func hstDef() algoDef {
	return algoDef{
		info: AlgorithmInfo{
			Name:     "HalfSpaceTrees",
			Category: "online",
			Description: "Streaming Half-Space Trees (Tan, Ting and Liu 2011): random half-space trees over features " +
				"scaled by the training range; mass profiles of the last complete window score new rows. Learns one " +
				"row at a time (Detector.Learn).",
			Parameters: withCommon(map[string]ParamSpec{
				"n_trees": {Type: TypeInteger, Default: 25, Min: fp(1), Max: fp(100),
					Description: "Number of trees"},
				"height": {Type: TypeInteger, Default: 8, Min: fp(1), Max: fp(15),
					Description: "Depth of every tree (2^(height+1)-1 nodes each)"},
				"window_size": {Type: TypeInteger, Default: 250, Min: fp(1), Max: fp(1 << 24),
					Description: "Rows per window; the reference mass profile is replaced after each full window"},
				"random_state": randomStateSpec(),
			}),
			Complexity:  "O(t·h) per row learned or scored",
			Scalability: "excellent",
		},
		aliases: []string{"HST", "half_space_trees"},
		newModel: func(p params) model {
			return &hst{trees: p.i("n_trees"), height: p.i("height"), window: p.i("window_size"), seed: uint64(p.i("random_state"))}
		},
	}
}

// hst is a forest of complete half-space trees stored heap-style (children
// of node i are 2i+1 and 2i+2).
type hst struct {
	trees, height, window int
	seed                  uint64
	d                     int
	lo, inv               []float64 // per feature: training minimum and 1/range
	feat                  []int32   // per tree and internal node: split feature
	split                 []float64 // per tree and internal node: split value (scaled units)
	ref, latest           []uint32  // per tree and node: mass of the reference and latest window
	count                 int       // rows in the latest window
}

func (h *hst) nodes() int    { return 1<<(h.height+1) - 1 }
func (h *hst) internal() int { return 1<<h.height - 1 }

func (h *hst) fit(x []float64, n, d int, train []float64) error {
	h.d = d
	h.lo = make([]float64, d)
	h.inv = make([]float64, d)
	for j := 0; j < d; j++ {
		mn, mx := math.Inf(1), math.Inf(-1)
		for i := 0; i < n; i++ {
			mn = math.Min(mn, x[i*d+j])
			mx = math.Max(mx, x[i*d+j])
		}
		h.lo[j] = mn
		h.inv[j] = 1
		if mx > mn {
			h.inv[j] = 1 / (mx - mn)
		}
	}
	r := newRNG(h.seed, 0)
	in := h.internal()
	h.feat = make([]int32, h.trees*in)
	h.split = make([]float64, h.trees*in)
	h.ref = make([]uint32, h.trees*h.nodes())
	h.latest = make([]uint32, h.trees*h.nodes())
	lo := make([]float64, d)
	hi := make([]float64, d)
	for t := 0; t < h.trees; t++ {
		for j := 0; j < d; j++ {
			s := r.float64()
			w := 2 * math.Max(s, 1-s)
			lo[j], hi[j] = s-w, s+w
		}
		h.build(r, t*in, 0, lo, hi)
	}
	h.count = 0
	full := false
	for i := 0; i < n; i++ {
		if h.learn(x[i*d : (i+1)*d]) {
			full = true
		}
	}
	if !full {
		copy(h.ref, h.latest)
	}
	for i := 0; i < n; i++ {
		train[i] = h.score(x[i*d : (i+1)*d])
	}
	return nil
}

// build assigns random splits to internal node i of a tree whose nodes start
// at base, halving the work range of the chosen feature.
func (h *hst) build(r *rng, base, i int, lo, hi []float64) {
	if i >= h.internal() {
		return
	}
	q := r.intn(h.d)
	p := (lo[q] + hi[q]) / 2
	h.feat[base+i] = int32(q)
	h.split[base+i] = p
	old := hi[q]
	hi[q] = p
	h.build(r, base, 2*i+1, lo, hi)
	hi[q] = old
	old = lo[q]
	lo[q] = p
	h.build(r, base, 2*i+2, lo, hi)
	lo[q] = old
}

// learn adds x to the latest window and reports whether the window was
// completed (and became the reference).
func (h *hst) learn(x []float64) bool {
	nn, in := h.nodes(), h.internal()
	for t := 0; t < h.trees; t++ {
		mass := h.latest[t*nn : (t+1)*nn]
		i := 0
		for {
			mass[i]++
			if i >= in {
				break
			}
			i = h.child(t*in+i, i, x)
		}
	}
	h.count++
	if h.count < h.window {
		return false
	}
	copy(h.ref, h.latest)
	clear(h.latest)
	h.count = 0
	return true
}

func (h *hst) child(k, i int, x []float64) int {
	q := h.feat[k]
	if (x[q]-h.lo[q])*h.inv[q] < h.split[k] {
		return 2*i + 1
	}
	return 2*i + 2
}

// score is 1 - (mass-based normality) / (its maximum), so larger is more
// anomalous; it lies in [0, 1].
func (h *hst) score(x []float64) float64 {
	nn, in := h.nodes(), h.internal()
	limit := uint32(0.1 * float64(h.window))
	var s float64
	for t := 0; t < h.trees; t++ {
		mass := h.ref[t*nn : (t+1)*nn]
		i, depth := 0, 0
		for i < in && mass[i] >= limit && mass[i] > 0 {
			i = h.child(t*in+i, i, x)
			depth++
		}
		s += float64(mass[i]) * math.Ldexp(1, depth)
	}
	return 1 - s/(float64(h.trees)*float64(h.window)*math.Ldexp(1, h.height))
}

func (h *hst) encode(e *encoder) {
	e.int(h.d)
	e.f64s(h.lo)
	e.f64s(h.inv)
	e.i32s(h.feat)
	e.f64s(h.split)
	e.int(h.count)
	for _, m := range [][]uint32{h.ref, h.latest} {
		e.int(len(m))
		for _, v := range m {
			e.uvarint(uint64(v))
		}
	}
}

func (h *hst) decode(d *decoder, nfeat int) {
	h.d = d.int()
	h.lo, h.inv = d.f64s(), d.f64s()
	h.feat = d.i32s()
	h.split = d.f64s()
	h.count = d.int()
	var ms [2][]uint32
	for k := range ms {
		n := d.count(1)
		ms[k] = make([]uint32, n)
		for i := range ms[k] {
			ms[k][i] = uint32(d.uvarint())
		}
	}
	h.ref, h.latest = ms[0], ms[1]
	if d.err != nil {
		return
	}
	if h.d != nfeat || len(h.lo) != h.d || len(h.inv) != h.d || len(h.feat) != h.trees*h.internal() ||
		len(h.split) != len(h.feat) || len(h.ref) != h.trees*h.nodes() || len(h.latest) != len(h.ref) {
		d.fail("HalfSpaceTrees state has inconsistent sizes")
		return
	}
	for _, f := range h.feat {
		if f < 0 || int(f) >= h.d {
			d.fail("HalfSpaceTrees feature %d out of range", f)
			return
		}
	}
}

// errNotOnline is returned by Learn for algorithms that cannot learn one row
// at a time.
var errNotOnline = errors.New("algorithm does not learn online")

// Learn adds one prepared feature vector (see Vector) to an online model
// (HalfSpaceTrees): it joins the latest window, which replaces the
// reference profile, and so changes later scores, once window_size rows
// have arrived. The calibration (threshold, anomaly_score) stays as fitted.
// Learn does not allocate and must not run concurrently with other methods.
// It returns an error for other algorithms, before fitting, or when len(x)
// != NumFeatures().
func (d *Detector) Learn(x []float64) error {
	h, ok := d.model.(*hst)
	if !ok {
		if d.model == nil {
			return ErrNotFitted
		}
		return errNotOnline
	}
	if len(x) != d.prep.nfeat {
		return errors.New("learn: wrong number of features")
	}
	h.learn(x)
	return nil
}
