package streamnab

import (
	"math"
	"os"
	"testing"

	"github.com/topoforge/topoforge/bench/nab"
)

func diag(t *testing.T, c *nab.Corpus, scores map[string][]float64) {
	sc := nab.NewScorer(c)
	res, err := sc.Score(scores, nab.DefaultProfiles()[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("std %.2f th %.3f hit %d missed %d FP rows %d", res.Normalized, res.Threshold, res.WindowsHit, res.WindowsMissed, res.FP)
	for _, f := range res.Files {
		// count FP alerts (rows) outside windows
		t.Logf("  %-55s %6.2f hit %d miss %d fp %d", f.Name, f.Score, f.WindowsHit, f.WindowsMissed, f.FP)
	}
}

func TestExplore4(t *testing.T) {
	if os.Getenv("NABX") == "" {
		t.Skip("NABX unset")
	}
	all, c := loadFeats(t)
	scores := map[string][]float64{}
	for _, f := range all {
		f := f
		z := ewz(f, func(i int) (float64, bool) {
			if f.F[i] == nil {
				return 0, false
			}
			return f.F[i][5], true
		}, 0.002, false)
		r := make([]float64, len(f.X))
		for i := range r {
			r[i] = math.Min(z[i]/6, 1)
		}
		scores[f.Name] = post(r, pp{150, 10, 0.002, 0.01, 100, 0.5})
	}
	diag(t, c, scores)
}

func TestPlotNov(t *testing.T) {
	if os.Getenv("NABX") == "" {
		t.Skip("NABX unset")
	}
	all, c := loadFeats(t)
	for _, f := range all {
		f := f
		z := ewz(f, func(i int) (float64, bool) {
			if f.F[i] == nil {
				return 0, false
			}
			return f.F[i][5], true
		}, 0.002, false)
		r := make([]float64, len(f.X))
		for i := range r {
			r[i] = math.Min(z[i]/6, 1)
		}
		s, _ := c.Find(f.Name)
		plotSeries(plotName("/tmp/nabx/plots", f.Name), s, post(r, pp{150, 10, 0.002, 0.01, 100, 0.5}), 0.501)
	}
}

var cachedScorer *nab.Scorer

func newScorerCached(c *nab.Corpus) *nab.Scorer {
	if cachedScorer == nil {
		cachedScorer = nab.NewScorer(c)
	}
	return cachedScorer
}

func stdProfile() nab.Profile { return nab.DefaultProfiles()[0] }
