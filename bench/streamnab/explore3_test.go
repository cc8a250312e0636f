package streamnab

import (
	"fmt"
	"math"
	"os"
	"sort"
	"testing"
)

// ewz returns the one-sided EW z-score series of a feature (0 where missing).
func ewz(f feats, get func(i int) (float64, bool), alpha float64, twoSided bool) []float64 {
	r := make([]float64, len(f.X))
	m, v := 0.0, 0.0
	n := 0
	for i := range f.X {
		x, ok := get(i)
		if !ok {
			continue
		}
		n++
		if n == 1 {
			m = x
		}
		sd := math.Sqrt(v) + 1e-12
		z := (x - m) / sd
		if twoSided {
			z = math.Abs(z)
		}
		if n > 20 {
			r[i] = math.Max(z, 0)
		}
		a := math.Max(alpha, 1/float64(n))
		d := x - m
		m += a * d
		v = (1 - a) * (v + a*d*d)
	}
	return r
}

func TestExplore3(t *testing.T) {
	if os.Getenv("NABX") == "" {
		t.Skip("NABX unset")
	}
	all, c := loadFeats(t)
	type zs struct{ z [][]float64 }
	Z := make([][][]float64, len(all))
	for k, f := range all {
		f := f
		feat := func(j int) func(i int) (float64, bool) {
			return func(i int) (float64, bool) {
				if f.F[i] == nil {
					return 0, false
				}
				return f.F[i][j], true
			}
		}
		Z[k] = [][]float64{
			ewz(f, func(i int) (float64, bool) { return f.X[i], true }, 0.002, true),
			ewz(f, feat(0), 0.002, false),
			ewz(f, feat(1), 0.002, false),
			ewz(f, feat(3), 0.002, false),
			ewz(f, feat(5), 0.002, false),
		}
	}
	run := func(name string, comb func(z [][]float64, i int) float64, p pp) {
		scores := map[string][]float64{}
		for k, f := range all {
			r := make([]float64, len(f.X))
			for i := range r {
				r[i] = math.Min(comb(Z[k], i)/6, 1)
			}
			scores[f.Name] = post(r, p)
		}
		t.Logf("%s %+v: %s", name, p, scoreAll(t, c, scores))
	}
	combs := map[string]func(z [][]float64, i int) float64{
		"val":   func(z [][]float64, i int) float64 { return z[0][i] },
		"nov":   func(z [][]float64, i int) float64 { return z[4][i] },
		"max":   func(z [][]float64, i int) float64 { return math.Max(math.Max(z[0][i], z[4][i]), math.Max(z[1][i], z[3][i])) },
		"valnov": func(z [][]float64, i int) float64 { return math.Max(z[0][i], z[4][i]) },
		"mean":  func(z [][]float64, i int) float64 { return (z[0][i] + z[4][i] + z[1][i] + z[3][i]) / 4 },
	}
	names := make([]string, 0)
	for n := range combs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, p := range []pp{{150, 10, 0.002, 0.01, 100, 0.5}, {150, 10, 0.002, 0.01, 300, 0.5}, {150, 1, 0.002, 0.01, 200, 0.5}} {
			run(n, combs[n], p)
		}
	}
	_ = fmt.Sprint
}
