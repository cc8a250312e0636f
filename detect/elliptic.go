package detect

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

func ellipticDef() algoDef {
	return algoDef{
		info: AlgorithmInfo{
			Name:     "EllipticEnvelope",
			Category: "statistical",
			Description: "Robust Gaussian envelope, as scikit-learn's EllipticEnvelope: the Minimum Covariance Determinant " +
				"(FastMCD, Rousseeuw and Van Driessen 1999) with consistency correction and reweighting; the score is " +
				"the squared Mahalanobis distance under the robust location and covariance. Its random subsets are " +
				"scikit-learn's (NumPy's RandomState stream), so a random_state starts from the same subsets as there.",
			Parameters: withCommon(map[string]ParamSpec{
				"support_fraction": {Type: TypeFloat, Default: 0.0, Min: fp(0), Max: fp(1),
					Description: "Fraction of rows in the raw MCD support; 0 means the minimum, (n + d + 1) / 2 rows"},
				"random_state": randomStateSpec(),
			}),
			Complexity:  "O(n·d² + trials·d³) fit, O(d²) per row",
			Scalability: "medium",
		},
		aliases: []string{"MCD", "MinCovDet", "elliptic_envelope"},
		newModel: func(p params) model {
			return &elliptic{frac: p.f("support_fraction"), seed: uint64(p.i("random_state"))}
		},
	}
}

// elliptic scores by squared Mahalanobis distance under a reweighted MCD.
type elliptic struct {
	frac float64
	seed uint64
	d    int
	loc  []float64
	prec []float64 // d×d pseudo-inverse of the robust covariance
}

func (m *elliptic) fit(x []float64, n, d int, train []float64) error {
	m.d = d
	h := int(math.Ceil(0.5 * float64(n+d+1)))
	if m.frac > 0 {
		h = int(m.frac * float64(n))
	}
	h = max(1, min(h, n))
	f := &mcdFit{x: x, n: n, d: d, mt: newMT19937(uint32(m.seed))}
	var raw estimate
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	if d == 1 {
		raw = f.univariate(h)
	} else {
		raw = f.fastMCD(all, h)
	}
	// Consistency correction, then reweighting (MinCovDet.fit).
	chi := distuv.ChiSquared{K: float64(d)}
	dist := slices.Clone(raw.dist)
	sorted := slices.Clone(dist)
	slices.Sort(sorted)
	corr := median(sorted) / chi.Quantile(0.5)
	if !(corr > 0) || math.IsInf(corr, 0) {
		corr = 1
	}
	cut := chi.Quantile(0.975)
	var keep []int
	for i, v := range dist {
		if v/corr < cut {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		keep = all
	}
	loc, cov := f.meanCov(keep)
	m.loc = loc
	m.prec = pinvh(cov, d)
	for i := 0; i < n; i++ {
		train[i] = m.score(x[i*d : (i+1)*d])
	}
	return nil
}

// mahalanobis returns (x-loc)ᵀ P (x-loc) for a symmetric d×d matrix P,
// reading only its upper triangle.
func mahalanobis(x, loc, p []float64) float64 {
	d := len(loc)
	var s float64
	for a := 0; a < d; a++ {
		row := p[a*d : (a+1)*d]
		ea := x[a] - loc[a]
		var t float64
		for b := a + 1; b < d; b++ {
			t += row[b] * (x[b] - loc[b])
		}
		s += ea * (row[a]*ea + 2*t)
	}
	return s
}

func (m *elliptic) score(x []float64) float64 { return mahalanobis(x, m.loc, m.prec) }

func (m *elliptic) encode(e *encoder) {
	e.int(m.d)
	e.f64s(m.loc)
	e.f64s(m.prec)
}

func (m *elliptic) decode(d *decoder, nfeat int) {
	m.d = d.int()
	m.loc, m.prec = d.f64s(), d.f64s()
	if d.err == nil && (m.d != nfeat || len(m.loc) != m.d || len(m.prec) != m.d*m.d) {
		d.fail("EllipticEnvelope state has inconsistent sizes")
	}
}

// pinvh returns the pseudo-inverse of the symmetric d×d matrix c (row-major)
// from its eigendecomposition, dropping eigenvalues below
// d·ε·max|λ| (SciPy's pinvh cut-off).
func pinvh(c []float64, d int) []float64 {
	var eig mat.EigenSym
	out := make([]float64, d*d)
	if !eig.Factorize(mat.NewSymDense(d, slices.Clone(c)), true) {
		return out
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	var big float64
	for _, v := range vals {
		big = math.Max(big, math.Abs(v))
	}
	cut := float64(d) * 2.220446049250313e-16 * big
	raw := vecs.RawMatrix()
	col := make([]float64, d)
	for k, v := range vals {
		if math.Abs(v) <= cut {
			continue
		}
		for a := 0; a < d; a++ {
			col[a] = raw.Data[a*raw.Stride+k]
		}
		for a := 0; a < d; a++ {
			floats.AddScaled(out[a*d:(a+1)*d], col[a]/v, col)
		}
	}
	return out
}
