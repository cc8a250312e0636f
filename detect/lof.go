package detect

import "math"

func lofDef() algoDef {
	return algoDef{
		info: AlgorithmInfo{
			Name:     "LOF",
			Category: "proximity_based",
			Description: "Local Outlier Factor (Breunig et al. 2000), as scikit-learn's LocalOutlierFactor: the ratio of the " +
				"neighbours' local reachability density to the row's own. Exact neighbours from a KD-tree, O(n·d) memory.",
			Parameters: withCommon(map[string]ParamSpec{
				"n_neighbors": {Type: TypeInteger, Default: 20, Min: fp(1), Max: fp(1000),
					Description: "Neighbours k used for reachability distances (n-1 if there are fewer training rows)"},
			}),
			Complexity:  "O(n log n) fit and O(log n) per row with a KD-tree in low dimensions, up to O(n²·d) in high dimensions",
			Scalability: "good",
		},
		aliases:  []string{"LocalOutlierFactor"},
		newModel: func(p params) model { return &lof{k: p.i("n_neighbors")} },
	}
}

// lofEps keeps local reachability densities finite when k neighbours
// coincide (the value scikit-learn adds).
const lofEps = 1e-10

// lof scores by the local outlier factor. Training scores leave the row out
// of its own neighbourhood; a new row is a query against all training rows.
type lof struct {
	k     int
	n, d  int
	x     []float64 // training rows, row-major
	kdist []float64 // distance of each training row to its k-th neighbour
	lrd   []float64 // local reachability density of each training row
	tree  *kdTree
}

func (l *lof) fit(x []float64, n, d int, train []float64) error {
	l.n, l.d, l.x = n, d, x
	k := min(l.k, n-1)
	l.tree = newKDTree(x, n, d)
	l.kdist = make([]float64, n)
	l.lrd = make([]float64, n)
	if k == 0 {
		for i := range train {
			l.lrd[i] = 1
			train[i] = 1
		}
		return nil
	}
	nb := make([]int32, n*k)
	dist := make([]float64, n*k)
	all := trainingNeighbors(l.tree, x, n, d, k)
	for i := 0; i < n; i++ {
		for j, c := range all[i*k : (i+1)*k] {
			nb[i*k+j] = c.idx
			dist[i*k+j] = math.Sqrt(c.d2)
		}
		l.kdist[i] = dist[i*k+k-1]
	}
	for i := 0; i < n; i++ {
		var s float64
		for j := 0; j < k; j++ {
			s += math.Max(l.kdist[nb[i*k+j]], dist[i*k+j])
		}
		l.lrd[i] = 1 / (s/float64(k) + lofEps)
	}
	for i := 0; i < n; i++ {
		var s float64
		for j := 0; j < k; j++ {
			s += l.lrd[nb[i*k+j]]
		}
		train[i] = s / float64(k) / l.lrd[i]
	}
	return nil
}

func (l *lof) score(x []float64) float64 {
	k := min(l.k, l.n-1)
	if k == 0 {
		return 1
	}
	var buf [knnScratch]neighbor
	h := l.tree.knn(x, k, -1, buf[:0])
	var reach, dens float64
	for _, c := range h {
		reach += math.Max(l.kdist[c.idx], math.Sqrt(c.d2))
		dens += l.lrd[c.idx]
	}
	lrd := 1 / (reach/float64(k) + lofEps)
	return dens / float64(k) / lrd
}

func (l *lof) encode(e *encoder) {
	e.int(l.n)
	e.int(l.d)
	e.f64s(l.x)
	e.f64s(l.kdist)
	e.f64s(l.lrd)
}

func (l *lof) decode(d *decoder, nfeat int) {
	l.n, l.d = d.int(), d.int()
	l.x, l.kdist, l.lrd = d.f64s(), d.f64s(), d.f64s()
	if d.err == nil && (l.d != nfeat || len(l.x) != l.n*l.d || len(l.kdist) != l.n || len(l.lrd) != l.n || l.n == 0) {
		d.fail("LOF state has inconsistent sizes")
	}
	if d.err == nil {
		l.tree = newKDTree(l.x, l.n, l.d)
	}
}
