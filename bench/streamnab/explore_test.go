package streamnab

import (
	"encoding/gob"
	"math"
	"os"
	"testing"

	"github.com/topoforge/topoforge/bench/nab"
	"github.com/topoforge/topoforge/tda"
)

const dataDir = "../../../shared/data/nab"

type feats struct {
	Name string
	X    []float64
	F    [][]float64 // per event: h0max, h0tot, h1tot, h1max, entropy, novelty
}

func TestExploreFeatures(t *testing.T) {
	if os.Getenv("NABX") == "" {
		t.Skip("NABX unset")
	}
	c, err := nab.LoadCorpus(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	W, D, tau := 50, 3, 1
	var all []feats
	for _, s := range c.Series {
		sw, _ := tda.NewSlidingWindow(tda.WindowConfig{Points: W, Dim: D, Delay: tau, Options: tda.Options{MaxDim: 1}})
		fs := feats{Name: s.Name, X: s.Values, F: make([][]float64, len(s.Values))}
		pts := make([][]float64, 0)
		for i, x := range s.Values {
			ok, _ := sw.PushSample(x)
			if ok {
				p := make([]float64, D)
				for k := 0; k < D; k++ {
					p[k] = s.Values[i-(D-1-k)*tau]
				}
				pts = append(pts, p)
			}
			if !sw.Full() {
				continue
			}
			dg, _ := sw.Diagram()
			f := make([]float64, 6)
			for _, b := range dg[0] {
				if b.Finite() {
					f[0] = math.Max(f[0], b.Lifetime())
					f[1] += b.Lifetime()
				}
			}
			for _, b := range dg[1] {
				f[2] += b.Lifetime()
				f[3] = math.Max(f[3], b.Lifetime())
			}
			f[4] = tda.PooledEntropy(dg[0], dg[1])
			last := pts[len(pts)-1]
			nn := math.Inf(1)
			for j := len(pts) - W; j < len(pts)-1; j++ {
				d := 0.0
				for k := range last {
					d += (last[k] - pts[j][k]) * (last[k] - pts[j][k])
				}
				nn = math.Min(nn, math.Sqrt(d))
			}
			f[5] = nn
			fs.F[i] = f
		}
		all = append(all, fs)
	}
	fh, _ := os.Create("/tmp/nabx/feats.gob")
	gob.NewEncoder(fh).Encode(all)
	fh.Close()
}
