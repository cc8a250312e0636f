package detect

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

func pcaDef() algoDef {
	return algoDef{
		info: AlgorithmInfo{
			Name:     "PCA",
			Category: "linear",
			Description: "Principal-component reconstruction error on standardised features (Shyu et al. 2003): the " +
				"squared distance to the subspace of the first n_components components, each residual direction " +
				"divided by its training variance when weighted.",
			Parameters: withCommon(map[string]ParamSpec{
				"n_components": {Type: TypeInteger, Default: 0, Min: fp(0), Max: fp(100000),
					Description: "Components spanning the normal subspace; 0 picks the fewest that explain 50% of the variance (capped at features-1)"},
				"weighted": {Type: TypeBool, Default: true,
					Description: "Divide each residual component by its eigenvalue (a Mahalanobis distance in the residual subspace)"},
			}),
			Complexity:  "O(n·d² + d³) fit, O(d²) per row",
			Scalability: "excellent",
		},
		newModel: func(p params) model { return &pca{k: p.i("n_components"), weighted: p["weighted"].(bool)} },
	}
}

// pcaVarianceAuto is the explained-variance fraction that picks the number
// of components when n_components is 0.
const pcaVarianceAuto = 0.5

// pca scores by the (weighted) squared residual after projecting a
// standardised row onto the leading principal components.
type pca struct {
	k        int
	weighted bool
	d        int
	mean     []float64
	scale    []float64 // 1 / standard deviation (1 for constant features)
	comps    []float64 // residual components, row-major (r × d), pre-scaled
	r        int
}

func (p *pca) fit(x []float64, n, d int, train []float64) error {
	p.d = d
	p.mean, p.scale = standardizer(x, n, d)
	c := make([]float64, d*d)
	z := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			z[j] = (x[i*d+j] - p.mean[j]) * p.scale[j]
		}
		for a := 0; a < d; a++ {
			za := z[a]
			row := c[a*d : (a+1)*d]
			for b := a; b < d; b++ {
				row[b] += za * z[b]
			}
		}
	}
	for a := 0; a < d; a++ {
		for b := a; b < d; b++ {
			c[a*d+b] /= float64(max(n-1, 1))
			c[b*d+a] = c[a*d+b]
		}
	}
	cov := mat.NewSymDense(d, c)
	var eig mat.EigenSym
	if !eig.Factorize(cov, true) {
		return fmt.Errorf("pca: eigendecomposition did not converge")
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	var total float64
	for _, v := range vals {
		total += math.Max(v, 0)
	}
	k := p.k
	if k == 0 {
		var acc float64
		for i := d - 1; i >= 0; i-- {
			acc += math.Max(vals[i], 0)
			k++
			if total == 0 || acc >= pcaVarianceAuto*total {
				break
			}
		}
	}
	k = min(k, d-1)
	if d == 1 {
		k = 0
	}
	p.r = d - k
	floor := 1e-12 * math.Max(vals[d-1], 1e-300)
	p.comps = make([]float64, p.r*d)
	// Residual components are the r smallest (ascending order, first r).
	for c := 0; c < p.r; c++ {
		w := 1.0
		if p.weighted {
			w = 1 / math.Sqrt(math.Max(vals[c], floor))
		}
		for j := 0; j < d; j++ {
			// Fold standardisation and weighting into the component.
			p.comps[c*d+j] = vecs.At(j, c) * p.scale[j] * w
		}
	}
	for i := 0; i < n; i++ {
		train[i] = p.score(x[i*d : (i+1)*d])
	}
	return nil
}

// standardizer returns per-feature means and inverse standard deviations
// (sample, n-1 denominator; 1 for constant features).
func standardizer(x []float64, n, d int) (mean, scale []float64) {
	mean = make([]float64, d)
	scale = make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			mean[j] += x[i*d+j]
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			e := x[i*d+j] - mean[j]
			scale[j] += e * e
		}
	}
	for j := range scale {
		sd := math.Sqrt(scale[j] / float64(max(n-1, 1)))
		if sd > 0 {
			scale[j] = 1 / sd
		} else {
			scale[j] = 1
		}
	}
	return mean, scale
}

func (p *pca) score(x []float64) float64 {
	var s float64
	d := p.d
	for c := 0; c < p.r; c++ {
		row := p.comps[c*d : (c+1)*d]
		var proj float64
		for j, v := range x {
			proj += (v - p.mean[j]) * row[j]
		}
		s += proj * proj
	}
	return s
}

func (p *pca) encode(e *encoder) {
	e.int(p.d)
	e.int(p.r)
	e.f64s(p.mean)
	e.f64s(p.scale)
	e.f64s(p.comps)
}

func (p *pca) decode(d *decoder, nfeat int) {
	p.d, p.r = d.int(), d.int()
	p.mean, p.scale, p.comps = d.f64s(), d.f64s(), d.f64s()
	if d.err == nil && (p.d != nfeat || p.r > p.d || len(p.mean) != p.d || len(p.scale) != p.d || len(p.comps) != p.r*p.d) {
		d.fail("PCA state has inconsistent sizes")
	}
}
