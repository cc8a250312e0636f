package detect

import (
	"math"
	"slices"
)

func knnDef() algoDef {
	return algoDef{
		info: AlgorithmInfo{
			Name:     "KNN",
			Category: "proximity_based",
			Description: "k-nearest-neighbour distance (Ramaswamy et al. 2000), as PyOD's KNN: the distance to the k-th " +
				"neighbour (largest), or the mean or median of the k distances. Exact neighbours from a KD-tree.",
			Parameters: withCommon(map[string]ParamSpec{
				"n_neighbors": {Type: TypeInteger, Default: 5, Min: fp(1), Max: fp(1000),
					Description: "Neighbours k (n-1 if there are fewer training rows)"},
				"method": {Type: TypeString, Default: "largest", Enum: []string{"largest", "mean", "median"},
					Description: "How the k neighbour distances become a score"},
			}),
			Complexity:  "O(n log n) fit and O(log n) per row with a KD-tree in low dimensions, up to O(n²·d) in high dimensions",
			Scalability: "good",
		},
		aliases:  []string{"kNN", "k_nearest_neighbors"},
		newModel: func(p params) model { return &knn{k: p.i("n_neighbors"), method: p.s("method")} },
	}
}

// knn scores by distances to the k nearest training rows; training scores
// leave the row itself out.
type knn struct {
	k      int
	method string
	n, d   int
	x      []float64
	tree   *kdTree
}

func (m *knn) fit(x []float64, n, d int, train []float64) error {
	m.n, m.d, m.x = n, d, x
	m.tree = newKDTree(x, n, d)
	k := min(m.k, n-1)
	all := trainingNeighbors(m.tree, x, n, d, k)
	for i := 0; i < n; i++ {
		train[i] = m.combine(all[i*k : (i+1)*k])
	}
	return nil
}

// combine turns sorted neighbours into a score.
func (m *knn) combine(h []neighbor) float64 {
	k := len(h)
	if k == 0 {
		return 0
	}
	switch m.method {
	case "mean":
		var s float64
		for _, c := range h {
			s += math.Sqrt(c.d2)
		}
		return s / float64(k)
	case "median":
		if k%2 == 1 {
			return math.Sqrt(h[k/2].d2)
		}
		return (math.Sqrt(h[k/2-1].d2) + math.Sqrt(h[k/2].d2)) / 2
	}
	return math.Sqrt(h[k-1].d2)
}

func (m *knn) score(x []float64) float64 {
	var buf [knnScratch]neighbor
	return m.combine(m.tree.knn(x, min(m.k, m.n), -1, buf[:0]))
}

func (m *knn) encode(e *encoder) {
	e.int(m.n)
	e.int(m.d)
	e.f64s(m.x)
}

func (m *knn) decode(d *decoder, nfeat int) {
	m.n, m.d = d.int(), d.int()
	m.x = d.f64s()
	if d.err == nil && (m.d != nfeat || len(m.x) != m.n*m.d || m.n == 0) {
		d.fail("KNN state has inconsistent sizes")
	}
	if d.err == nil {
		m.tree = newKDTree(slices.Clone(m.x), m.n, m.d)
	}
}
