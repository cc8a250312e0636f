package detect

import (
	"errors"
	"fmt"
	"math"
)

func ocsvmDef() algoDef {
	return algoDef{
		info: AlgorithmInfo{
			Name:     "OneClassSVM",
			Category: "kernel",
			Description: "One-class SVM (Schölkopf et al. 2001) with an RBF kernel on standardised features, as scikit-learn's " +
				"OneClassSVM (libsvm's SMO with second-order working-set selection); the score is rho minus the decision sum.",
			Parameters: withCommon(map[string]ParamSpec{
				"nu": {Type: TypeFloat, Default: 0.5, Min: fp(0), Max: fp(1), MinExclusive: true,
					Description: "Upper bound on the fraction of training errors and lower bound on the fraction of support vectors"},
				"gamma": {Type: TypeFloat, Default: 0.0, Min: fp(0), Max: fp(1e6),
					Description: "RBF kernel coefficient; 0 means 'scale': 1 / (features × variance of the standardised data)"},
				"tol": {Type: TypeFloat, Default: 1e-3, Min: fp(1e-12), Max: fp(1),
					Description: "Stopping tolerance of the solver (maximal violating pair gap)"},
			}),
			Complexity:  "O(n²·d) to O(n³) fit, O(support vectors·d) per row",
			Scalability: "poor",
		},
		aliases:  []string{"OCSVM", "one_class_svm"},
		newModel: func(p params) model { return &ocsvm{nu: p.f("nu"), gamma: p.f("gamma"), tol: p.f("tol")} },
	}
}

// ocsvmCacheBytes bounds the kernel-column cache of the solver.
const ocsvmCacheBytes = 256 << 20

// MaxOneClassSVMRows bounds the training rows of OneClassSVM, whose solver
// needs O(n²) kernel evaluations; Fit returns an error above it.
const MaxOneClassSVMRows = 50_000

// ocsvmMaxIter bounds solver iterations per training row.
const ocsvmMaxIter = 1000

// ocsvm is a fitted one-class SVM. Support vectors are stored in input units
// with per-feature weights w = 1/σ², so scoring needs no standardised copy.
type ocsvm struct {
	nu, gamma, tol float64
	d              int
	sv             []float64 // support vectors in input units, row-major
	alpha          []float64
	w              []float64 // per-feature 1/σ²
	rho            float64
	g              float64 // effective gamma
}

func (m *ocsvm) fit(x []float64, n, d int, train []float64) error {
	if n > MaxOneClassSVMRows {
		return fmt.Errorf("one-class SVM: %d training rows, at most %d (subsample the data or use IsolationForest)", n, MaxOneClassSVMRows)
	}
	m.d = d
	mean, scale := standardizer(x, n, d)
	z := make([]float64, n*d)
	var s, s2 float64
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			v := (x[i*d+j] - mean[j]) * scale[j]
			z[i*d+j] = v
			s += v
			s2 += v * v
		}
	}
	m.g = m.gamma
	if m.g == 0 {
		nd := float64(n * d)
		variance := s2/nd - (s/nd)*(s/nd)
		m.g = 1.0
		if variance > 0 {
			m.g = 1 / (float64(d) * variance)
		}
	}
	alpha, rho, err := solveOneClass(z, n, d, m.g, m.nu, m.tol)
	if err != nil {
		return err
	}
	m.rho = rho
	m.w = make([]float64, d)
	for j := range m.w {
		m.w[j] = scale[j] * scale[j]
	}
	for i, a := range alpha {
		if a > 0 {
			m.alpha = append(m.alpha, a)
			m.sv = append(m.sv, x[i*d:(i+1)*d]...)
		}
	}
	for i := 0; i < n; i++ {
		train[i] = m.score(x[i*d : (i+1)*d])
	}
	return nil
}

func (m *ocsvm) score(x []float64) float64 {
	d := m.d
	var s float64
	for k, a := range m.alpha {
		sv := m.sv[k*d : (k+1)*d]
		var d2 float64
		for j, v := range x {
			e := v - sv[j]
			d2 += m.w[j] * e * e
		}
		s += a * math.Exp(-m.g*d2)
	}
	return m.rho - s
}

func (m *ocsvm) encode(e *encoder) {
	e.int(m.d)
	e.f64(m.g)
	e.f64(m.rho)
	e.f64s(m.w)
	e.f64s(m.alpha)
	e.f64s(m.sv)
}

func (m *ocsvm) decode(d *decoder, nfeat int) {
	m.d = d.int()
	m.g, m.rho = d.f64(), d.f64()
	m.w, m.alpha, m.sv = d.f64s(), d.f64s(), d.f64s()
	if d.err == nil && (m.d != nfeat || len(m.w) != m.d || len(m.sv) != len(m.alpha)*m.d) {
		d.fail("OneClassSVM state has inconsistent sizes")
	}
}

// kernelCache computes and caches columns of the RBF kernel matrix,
// evicting the oldest column when over budget.
type kernelCache struct {
	z     []float64
	n, d  int
	g     float64
	cols  map[int][]float64
	order []int
	limit int
}

// col returns column i, never evicting column keep (-1 for none).
func (c *kernelCache) col(i, keep int) []float64 {
	if v, ok := c.cols[i]; ok {
		return v
	}
	if len(c.order) >= c.limit {
		k := 0
		if c.order[0] == keep {
			k = 1
		}
		old := c.order[k]
		c.order = append(c.order[:k], c.order[k+1:]...)
		v := c.cols[old]
		delete(c.cols, old)
		c.fill(i, v)
		c.cols[i] = v
		c.order = append(c.order, i)
		return v
	}
	v := make([]float64, c.n)
	c.fill(i, v)
	c.cols[i] = v
	c.order = append(c.order, i)
	return v
}

func (c *kernelCache) fill(i int, v []float64) {
	d := c.d
	a := c.z[i*d : (i+1)*d]
	for k := 0; k < c.n; k++ {
		b := c.z[k*d : (k+1)*d]
		var s float64
		for j := range a {
			e := a[j] - b[j]
			s += e * e
		}
		v[k] = math.Exp(-c.g * s)
	}
}

// solveOneClass solves min ½αᵀQα subject to 0 ≤ α ≤ 1 and Σα = νn with
// Q the RBF kernel matrix, by SMO with libsvm's second-order working-set
// selection, and returns α and ρ.
func solveOneClass(z []float64, n, d int, g, nu, tol float64) ([]float64, float64, error) {
	const tau = 1e-12
	alpha := make([]float64, n)
	total := nu * float64(n)
	full := int(total)
	for i := 0; i < full && i < n; i++ {
		alpha[i] = 1
	}
	if full < n {
		alpha[full] = total - float64(full)
	}
	cache := &kernelCache{z: z, n: n, d: d, g: g, cols: map[int][]float64{},
		limit: max(2, ocsvmCacheBytes/(8*max(n, 1)))}
	grad := make([]float64, n)
	for i, a := range alpha {
		if a == 0 {
			continue
		}
		q := cache.col(i, -1)
		for k := range grad {
			grad[k] += a * q[k]
		}
	}
	// Diagonal of an RBF kernel is 1.
	maxIter := max(10_000_000, ocsvmMaxIter*n)
	for iter := 0; ; iter++ {
		if iter >= maxIter {
			return nil, 0, errors.New("one-class SVM solver did not converge")
		}
		// i: maximal violator among α < 1 (largest -G).
		i, gmax := -1, math.Inf(-1)
		for t := 0; t < n; t++ {
			if alpha[t] < 1 && -grad[t] >= gmax {
				gmax, i = -grad[t], t
			}
		}
		gmax2 := math.Inf(-1)
		j, best := -1, math.Inf(1)
		var qi []float64
		if i >= 0 {
			qi = cache.col(i, -1)
		}
		for t := 0; t < n; t++ {
			if alpha[t] <= 0 {
				continue
			}
			if grad[t] >= gmax2 {
				gmax2 = grad[t]
			}
			diff := gmax + grad[t]
			if i >= 0 && diff > 0 {
				a := 2 - 2*qi[t]
				if a <= 0 {
					a = tau
				}
				if v := -diff * diff / a; v <= best {
					best, j = v, t
				}
			}
		}
		if gmax+gmax2 < tol || i < 0 || j < 0 {
			break
		}
		qj := cache.col(j, i)
		qi = cache.col(i, j)
		a := 2 - 2*qi[j]
		if a <= 0 {
			a = tau
		}
		oldI, oldJ := alpha[i], alpha[j]
		delta := (grad[i] - grad[j]) / a
		sum := oldI + oldJ
		alpha[i] -= delta
		alpha[j] += delta
		if sum > 1 {
			if alpha[i] > 1 {
				alpha[i] = 1
				alpha[j] = sum - 1
			}
		} else if alpha[j] < 0 {
			alpha[j] = 0
			alpha[i] = sum
		}
		if sum > 1 {
			if alpha[j] > 1 {
				alpha[j] = 1
				alpha[i] = sum - 1
			}
		} else if alpha[i] < 0 {
			alpha[i] = 0
			alpha[j] = sum
		}
		di, dj := alpha[i]-oldI, alpha[j]-oldJ
		for k := range grad {
			grad[k] += qi[k]*di + qj[k]*dj
		}
	}
	// ρ: mean gradient over free α, else the middle of the feasible range.
	var sumFree float64
	nFree := 0
	ub, lb := math.Inf(1), math.Inf(-1)
	for t, a := range alpha {
		switch {
		case a >= 1:
			lb = math.Max(lb, grad[t])
		case a <= 0:
			ub = math.Min(ub, grad[t])
		default:
			nFree++
			sumFree += grad[t]
		}
	}
	rho := (ub + lb) / 2
	if nFree > 0 {
		rho = sumFree / float64(nFree)
	}
	return alpha, rho, nil
}
