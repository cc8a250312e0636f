package streamnab

import (
	"os"
	"testing"
)

func TestExplore9(t *testing.T) {
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
	sc := newScorerCached(c)
	eval := func(set []int, tn float64, supp int) float64 {
		scores := map[string][]float64{}
		for k, f := range all {
			r := make([]float64, len(f.X))
			for _, j := range set {
				for i, v := range R[k][j] {
					r[i] += v
				}
			}
			scores[f.Name] = direct(r, 150, 32, tn/32, supp)
		}
		res, _ := sc.Score(scores, stdProfile())
		return res.Normalized
	}
	best := func(set []int) (float64, float64, int) {
		bs, bt, bp := -1e9, 0.0, 0
		for tn := 6.0; tn <= 20; tn += 0.5 * float64(len(set)) {
			for _, supp := range []int{50, 100, 150} {
				if s := eval(set, tn, supp); s > bs {
					bs, bt, bp = s, tn, supp
				}
			}
		}
		return bs, bt, bp
	}
	for j, n := range candNames {
		s, tn, sp := best([]int{j})
		t.Logf("%-6s %.2f (%.1f, %d)", n, s, tn, sp)
	}
	set := []int{}
	bestS := 0.0
	for step := 0; step < 4; step++ {
		bj, bs := -1, bestS
		var btn float64
		var bsp int
		for j := range candNames {
			in := false
			for _, q := range set {
				in = in || q == j
			}
			if in {
				continue
			}
			s, tn, sp := best(append(append([]int{}, set...), j))
			if s > bs {
				bj, bs, btn, bsp = j, s, tn, sp
			}
		}
		if bj < 0 {
			break
		}
		set = append(set, bj)
		bestS = bs
		names := ""
		for _, q := range set {
			names += candNames[q] + " "
		}
		t.Logf("step %d: %s -> %.2f (%.1f %d)", step, names, bestS, btn, bsp)
	}
}
