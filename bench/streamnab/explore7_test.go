package streamnab

import (
	"fmt"
	"math"
	"os"
	"testing"
)

// candidate features per event (NaN before available)
var candNames = []string{"x", "m5", "m10", "m20", "m50", "sd10", "sd50", "nov", "h0max", "h0tot", "h1tot", "h1max", "ent", "d1"}

func candidates(f feats) [][]float64 {
	n := len(f.X)
	out := make([][]float64, len(candNames))
	for k := range out {
		out[k] = make([]float64, n)
		for i := range out[k] {
			out[k][i] = math.NaN()
		}
	}
	mean := func(i, w int) float64 {
		s := 0.0
		for q := i - w + 1; q <= i; q++ {
			s += f.X[q]
		}
		return s / float64(w)
	}
	sd := func(i, w int) float64 {
		m := mean(i, w)
		s := 0.0
		for q := i - w + 1; q <= i; q++ {
			s += (f.X[q] - m) * (f.X[q] - m)
		}
		return math.Sqrt(s / float64(w))
	}
	for i := range f.X {
		if f.F[i] == nil {
			continue
		}
		out[0][i] = f.X[i]
		out[1][i] = mean(i, 5)
		out[2][i] = mean(i, 10)
		out[3][i] = mean(i, 20)
		out[4][i] = mean(i, 50)
		out[5][i] = sd(i, 10)
		out[6][i] = sd(i, 50)
		out[7][i] = f.F[i][5]
		out[8][i] = f.F[i][0]
		out[9][i] = f.F[i][1]
		out[10][i] = f.F[i][2]
		out[11][i] = f.F[i][3]
		out[12][i] = f.F[i][4]
		out[13][i] = f.X[i] - f.X[i-1]
	}
	return out
}

// rarity series of one candidate: -log p of decaying HBOS.
func rarity(x []float64, decay, width float64, warm int) []float64 {
	h := newHB(1, 64, decay, warm, width)
	r := make([]float64, len(x))
	in := []float64{0}
	o := []float64{0}
	for i, v := range x {
		if math.IsNaN(v) {
			continue
		}
		in[0] = v
		if h.push(in, o) {
			r[i] = o[0]
		}
	}
	return r
}

func TestExplore7(t *testing.T) {
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
	eval := func(set []int, p pp) float64 {
		scores := map[string][]float64{}
		for k, f := range all {
			r := make([]float64, len(f.X))
			for _, j := range set {
				for i, v := range R[k][j] {
					r[i] += v
				}
			}
			scores[f.Name] = post(r, p)
		}
		res, _ := newScorerCached(c).Score(scores, stdProfile())
		return res.Normalized
	}
	p := pp{150, 1, 0.002, 0.01, 100, 0.5}
	for j, n := range candNames {
		t.Logf("%-6s %.2f", n, eval([]int{j}, p))
	}
	// greedy forward selection
	set := []int{}
	best := 0.0
	for step := 0; step < 5; step++ {
		bj, bs := -1, best
		for j := range candNames {
			in := false
			for _, q := range set {
				in = in || q == j
			}
			if in {
				continue
			}
			s := eval(append(append([]int{}, set...), j), p)
			if s > bs {
				bj, bs = j, s
			}
		}
		if bj < 0 {
			break
		}
		set = append(set, bj)
		best = bs
		names := ""
		for _, q := range set {
			names += candNames[q] + " "
		}
		t.Logf("step %d: %s -> %.2f", step, names, best)
	}
	_ = fmt.Sprint
}
