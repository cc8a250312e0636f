package streamnab

import (
	"math"
	"os"
	"testing"
)

// direct: score = min(r/scale,1) with suppression after tint.
func direct(r []float64, warm int, scale, tint float64, supp int) []float64 {
	out := make([]float64, len(r))
	hold := 0
	for i, v := range r {
		if i < warm {
			continue
		}
		s := math.Min(v/scale, 1)
		if hold > 0 {
			hold--
			s = 0
		} else if s >= tint {
			hold = supp
		}
		out[i] = s
	}
	return out
}

func TestExplore8(t *testing.T) {
	if os.Getenv("NABX") == "" {
		t.Skip("NABX unset")
	}
	all, c := loadFeats(t)
	R := make([][][]float64, len(all))
	for k, f := range all {
		cs := candidates(f)
		R[k] = make([][]float64, len(cs))
		for j := range cs {
			R[k][j] = rarity(cs[j], 1, 0.25, 150)
		}
	}
	set := []int{2, 8}
	raw := func(k int) []float64 {
		r := make([]float64, len(all[k].X))
		for _, j := range set {
			for i, v := range R[k][j] {
				r[i] += v
			}
		}
		return r
	}
	sc := newScorerCached(c)
	evalF := func(f func(r []float64) []float64) string {
		scores := map[string][]float64{}
		for k, fs := range all {
			scores[fs.Name] = f(raw(k))
		}
		return scoreAll(t, c, scores)
	}
	_ = sc
	for _, tint := range []float64{0.5, 0.6, 0.7, 0.8} {
		for _, supp := range []int{50, 100, 200, 400} {
			t.Logf("direct tint %.1f supp %d: %s", tint, supp, evalF(func(r []float64) []float64 { return direct(r, 150, 16, tint, supp) }))
		}
	}
	for _, short := range []int{1, 3} {
		for _, alpha := range []float64{0.0005, 0.001, 0.005} {
			for _, ms := range []float64{0.003, 0.03} {
				p := pp{150, short, alpha, ms, 100, 0.5}
				t.Logf("post %+v: %s", p, evalF(func(r []float64) []float64 {
					for i := range r {
						r[i] = math.Min(r[i]/16, 1)
					}
					return post(r, p)
				}))
			}
		}
	}
}
