package streamnab

import (
	"os"
	"testing"
)

func TestExplore10(t *testing.T) {
	if os.Getenv("NABX") == "" {
		t.Skip("NABX unset")
	}
	all, c := loadFeats(t)
	C := make([][][]float64, len(all))
	for k, f := range all {
		C[k] = candidates(f)
	}
	sc := newScorerCached(c)
	type rp struct {
		width, decay float64
	}
	cache := map[rp][][][]float64{}
	getR := func(p rp) [][][]float64 {
		if r, ok := cache[p]; ok {
			return r
		}
		R := make([][][]float64, len(all))
		for k := range all {
			R[k] = make([][]float64, len(candNames))
			for j := range candNames {
				R[k][j] = rarity(C[k][j], p.decay, p.width, 150)
			}
		}
		cache[p] = R
		return R
	}
	eval := func(R [][][]float64, set []int, wts []float64, tn float64, supp int) float64 {
		scores := map[string][]float64{}
		for k, f := range all {
			r := make([]float64, len(f.X))
			for q, j := range set {
				for i, v := range R[k][j] {
					r[i] += wts[q] * v
				}
			}
			scores[f.Name] = direct(r, 150, 64, tn/64, supp)
		}
		res, _ := sc.Score(scores, stdProfile())
		return res.Normalized
	}
	set := []int{8, 4} // h0max m50
	for _, p := range []rp{{0.25, 1}, {0.15, 1}, {0.4, 1}, {0.25, 0.9995}, {0.25, 0.999}} {
		R := getR(p)
		bs, bt, bp := -1e9, 0.0, 0
		for tn := 7.0; tn <= 13; tn += 0.25 {
			for _, supp := range []int{60, 80, 100, 130} {
				if s := eval(R, set, []float64{1, 1}, tn, supp); s > bs {
					bs, bt, bp = s, tn, supp
				}
			}
		}
		t.Logf("%+v: %.2f at %.2f %d", p, bs, bt, bp)
	}
	// third feature
	R := getR(rp{0.25, 1})
	for j, n := range candNames {
		if j == 8 || j == 4 {
			continue
		}
		for _, w := range []float64{0.5, 1} {
			bs, bt, bp := -1e9, 0.0, 0
			for tn := 8.0; tn <= 16; tn += 0.5 {
				for _, supp := range []int{80, 100} {
					if s := eval(R, []int{8, 4, j}, []float64{1, 1, w}, tn, supp); s > bs {
						bs, bt, bp = s, tn, supp
					}
				}
			}
			t.Logf("+%s w%.1f: %.2f at %.2f %d", n, w, bs, bt, bp)
		}
	}
}
