package detect

import "math"

func hbosDef() algoDef {
	return algoDef{
		info: AlgorithmInfo{
			Name:     "HBOS",
			Category: "statistical",
			Description: "Histogram-based Outlier Score (Goldstein and Dengel 2012): per feature an equal-width histogram " +
				"over the training range; the score is the sum over features of -log(bin frequency + alpha). Values " +
				"outside the training range fall in an empty bin.",
			Parameters: withCommon(map[string]ParamSpec{
				"n_bins": {Type: TypeInteger, Default: 10, Min: fp(2), Max: fp(10000),
					Description: "Equal-width bins per feature"},
				"alpha": {Type: TypeFloat, Default: 1e-6, Min: fp(0), Max: fp(1), MinExclusive: true,
					Description: "Added to every bin frequency (count / rows) before the logarithm; bounds the score of an empty bin"},
			}),
			Complexity:  "O(n·d) fit, O(d) per row",
			Scalability: "excellent",
		},
		newModel: func(p params) model { return &hbos{bins: p.i("n_bins"), alpha: p.f("alpha")} },
	}
}

// hbos is a histogram-based outlier score with per-feature equal-width bins.
type hbos struct {
	bins  int
	alpha float64
	d     int
	lo    []float64 // per feature: left edge of the first bin
	width []float64 // per feature: bin width (0 for a constant feature)
	cost  []float64 // per feature and bin: -log(frequency + alpha)
	empty float64   // -log(alpha), the cost outside the training range
}

func (h *hbos) fit(x []float64, n, d int, train []float64) error {
	h.d = d
	h.lo = make([]float64, d)
	h.width = make([]float64, d)
	h.cost = make([]float64, d*h.bins)
	h.empty = -math.Log(h.alpha)
	counts := make([]int, h.bins)
	for j := 0; j < d; j++ {
		mn, mx := math.Inf(1), math.Inf(-1)
		for i := 0; i < n; i++ {
			mn = math.Min(mn, x[i*d+j])
			mx = math.Max(mx, x[i*d+j])
		}
		h.lo[j] = mn
		h.width[j] = (mx - mn) / float64(h.bins)
		clear(counts)
		for i := 0; i < n; i++ {
			counts[h.bin(j, x[i*d+j])]++
		}
		for b, c := range counts {
			h.cost[j*h.bins+b] = -math.Log(float64(c)/float64(n) + h.alpha)
		}
	}
	for i := 0; i < n; i++ {
		train[i] = h.score(x[i*d : (i+1)*d])
	}
	return nil
}

// bin returns the bin of v for feature j, or -1 outside the training range.
// The last bin is closed, as NumPy's histogram.
func (h *hbos) bin(j int, v float64) int {
	w := h.width[j]
	if w == 0 {
		if v == h.lo[j] {
			return 0
		}
		return -1
	}
	f := (v - h.lo[j]) / w
	if !(f >= 0 && f <= float64(h.bins)) { // also NaN
		return -1
	}
	b := int(f)
	if b >= h.bins {
		b = h.bins - 1
	}
	return b
}

func (h *hbos) score(x []float64) float64 {
	var s float64
	for j, v := range x {
		if b := h.bin(j, v); b >= 0 {
			s += h.cost[j*h.bins+b]
		} else {
			s += h.empty
		}
	}
	return s
}

func (h *hbos) encode(e *encoder) {
	e.int(h.d)
	e.f64s(h.lo)
	e.f64s(h.width)
	e.f64s(h.cost)
}

func (h *hbos) decode(d *decoder, nfeat int) {
	h.d = d.int()
	h.lo, h.width, h.cost = d.f64s(), d.f64s(), d.f64s()
	h.empty = -math.Log(h.alpha)
	if d.err == nil && (h.d != nfeat || len(h.lo) != h.d || len(h.width) != h.d || len(h.cost) != h.d*h.bins) {
		d.fail("HBOS state has inconsistent sizes")
	}
}
