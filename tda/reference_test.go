package tda

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// referenceDiagram computes the barcode by the textbook algorithm: list every simplex of
// dimension <= maxDim+1 with diameter <= limit, sort by (diameter, dimension), and reduce
// the boundary matrix over Z/2 column by column. It is slow and obviously correct.
func referenceDiagram(points [][]float64, maxDim int, limit float64) Diagram {
	n := len(points)
	d := func(i, j int) float64 {
		s := 0.0
		for k := range points[i] {
			t := points[i][k] - points[j][k]
			s += t * t
		}
		return math.Sqrt(s)
	}
	type simplex struct {
		v    []int
		diam float64
	}
	var all []simplex
	var rec func(v []int, diam float64)
	rec = func(v []int, diam float64) {
		all = append(all, simplex{slices.Clone(v), diam})
		if len(v) == maxDim+2 {
			return
		}
		for j := v[len(v)-1] + 1; j < n; j++ {
			dj := diam
			for _, u := range v {
				dj = max(dj, d(u, j))
			}
			if dj <= limit {
				rec(append(v, j), dj)
			}
		}
	}
	for i := range n {
		rec([]int{i}, 0)
	}
	slices.SortStableFunc(all, func(a, b simplex) int {
		if a.diam != b.diam {
			if a.diam < b.diam {
				return -1
			}
			return 1
		}
		return len(a.v) - len(b.v)
	})
	pos := map[string]int{}
	keyOf := func(v []int) string {
		b := make([]byte, 0, 8*len(v))
		for _, x := range v {
			b = append(b, byte(x), byte(x>>8), ',')
		}
		return string(b)
	}
	for i, s := range all {
		pos[keyOf(s.v)] = i
	}
	cols := make([][]int, len(all)) // sorted row indices
	for i, s := range all {
		if len(s.v) == 1 {
			continue
		}
		for drop := range s.v {
			f := append(slices.Clone(s.v[:drop]), s.v[drop+1:]...)
			cols[i] = append(cols[i], pos[keyOf(f)])
		}
		slices.Sort(cols[i])
	}
	lowOwner := map[int]int{}
	paired := make([]bool, len(all))
	diag := make(Diagram, maxDim+1)
	for j := range all {
		c := cols[j]
		for len(c) > 0 {
			o, ok := lowOwner[c[len(c)-1]]
			if !ok {
				break
			}
			c = symDiff(c, cols[o])
		}
		cols[j] = c
		if len(c) == 0 {
			continue
		}
		low := c[len(c)-1]
		lowOwner[low] = j
		paired[low], paired[j] = true, true
		if k := len(all[low].v) - 1; k <= maxDim && all[j].diam > all[low].diam {
			diag[k] = append(diag[k], Bar{all[low].diam, all[j].diam})
		}
	}
	for i, s := range all {
		if k := len(s.v) - 1; !paired[i] && k <= maxDim {
			diag[k] = append(diag[k], Bar{s.diam, math.Inf(1)})
		}
	}
	for k := range diag {
		sortBars(diag[k])
		if diag[k] == nil {
			diag[k] = []Bar{}
		}
	}
	return diag
}

func symDiff(a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case a[i] > b[j]:
			out = append(out, b[j])
			j++
		default:
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// randomCloud returns n points in [0,1)^dim; with grid, coordinates are multiples of 1/4,
// which makes many distances tie and some points coincide.
func randomCloud(rng *rand.Rand, n, dim int, grid bool) [][]float64 {
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, dim)
		for k := range pts[i] {
			if grid {
				pts[i][k] = float64(rng.IntN(4)) / 4
			} else {
				pts[i][k] = rng.Float64()
			}
		}
	}
	return pts
}

func TestPersistenceMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var w Workspace
	for i := range 400 {
		n := 1 + rng.IntN(13)
		dim := 1 + rng.IntN(3)
		grid := i%3 == 0
		maxDim := i % 3
		pts := randomCloud(rng, n, dim, grid)
		limit := math.Inf(1)
		if i%4 == 1 {
			limit = 0.2 + rng.Float64()*0.6
		}
		flat := slices.Concat(pts...)
		got, err := w.Persistence(flat, dim, Options{MaxDim: maxDim, MaxEdge: limit})
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		want := referenceDiagram(pts, maxDim, limit)
		if !equalDiagrams(got, want) {
			t.Fatalf("%d (n=%d dim=%d maxDim=%d limit=%g grid=%v):\ngot  %v\nwant %v",
				i, n, dim, maxDim, limit, grid, got, want)
		}
	}
}

func equalDiagrams(a, b Diagram) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !slices.Equal(a[k], b[k]) {
			return false
		}
	}
	return true
}
