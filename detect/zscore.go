package detect

import (
	"math"
	"slices"
)

func zscoreDef(robust bool) algoDef {
	specs := withCommon(map[string]ParamSpec{
		"aggregate": {Type: TypeString, Default: "max", Enum: []string{"max", "mean"},
			Description: "How per-feature absolute scores combine: the largest, or their mean"},
	})
	if robust {
		return algoDef{
			info: AlgorithmInfo{
				Name:     "MAD",
				Category: "statistical",
				Description: "Robust univariate baseline: per feature |x - median| / (1.4826 · MAD), the median absolute " +
					"deviation (1.2533 · mean absolute deviation when the MAD is 0); the score is the largest (or mean) over features.",
				Parameters:  specs,
				Complexity:  "O(n·d·log n) fit, O(d) per row",
				Scalability: "excellent",
			},
			aliases:  []string{"RobustZScore", "median_absolute_deviation"},
			newModel: func(p params) model { return &zscore{robust: true, mean: p.s("aggregate") == "mean"} },
		}
	}
	return algoDef{
		info: AlgorithmInfo{
			Name:     "ZScore",
			Category: "statistical",
			Description: "Univariate baseline: per feature |x - mean| / standard deviation; the score is the largest " +
				"(or mean) over features.",
			Parameters:  specs,
			Complexity:  "O(n·d) fit, O(d) per row",
			Scalability: "excellent",
		},
		aliases:  []string{"Z-Score", "z_score"},
		newModel: func(p params) model { return &zscore{mean: p.s("aggregate") == "mean"} },
	}
}

// zscore scores by per-feature standardised deviations. A constant training
// feature has scale 1, so any deviation counts in input units.
type zscore struct {
	robust bool
	mean   bool
	center []float64
	inv    []float64 // 1 / scale per feature
}

func (z *zscore) fit(x []float64, n, d int, train []float64) error {
	z.center = make([]float64, d)
	z.inv = make([]float64, d)
	col := make([]float64, n)
	for j := 0; j < d; j++ {
		for i := 0; i < n; i++ {
			col[i] = x[i*d+j]
		}
		var c, s float64
		if z.robust {
			slices.Sort(col)
			c = median(col)
			dev := make([]float64, n)
			var meanAD float64
			for i, v := range col {
				dev[i] = math.Abs(v - c)
				meanAD += dev[i]
			}
			meanAD /= float64(n)
			slices.Sort(dev)
			s = 1.4826 * median(dev)
			if s == 0 {
				s = 1.2533 * meanAD
			}
		} else {
			for _, v := range col {
				c += v
			}
			c /= float64(n)
			for _, v := range col {
				s += (v - c) * (v - c)
			}
			s = math.Sqrt(s / float64(n))
		}
		z.center[j] = c
		z.inv[j] = 1
		if s > 0 {
			z.inv[j] = 1 / s
		}
	}
	for i := 0; i < n; i++ {
		train[i] = z.score(x[i*d : (i+1)*d])
	}
	return nil
}

func (z *zscore) score(x []float64) float64 {
	var agg float64
	for j, v := range x {
		a := math.Abs(v-z.center[j]) * z.inv[j]
		if z.mean {
			agg += a
		} else {
			agg = math.Max(agg, a)
		}
	}
	if z.mean && len(x) > 0 {
		agg /= float64(len(x))
	}
	return agg
}

func (z *zscore) encode(e *encoder) {
	e.f64s(z.center)
	e.f64s(z.inv)
}

func (z *zscore) decode(d *decoder, nfeat int) {
	z.center, z.inv = d.f64s(), d.f64s()
	if d.err == nil && (len(z.center) != nfeat || len(z.inv) != nfeat) {
		d.fail("z-score state has inconsistent sizes")
	}
}
