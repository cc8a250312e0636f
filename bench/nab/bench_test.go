package nab

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// syntheticCorpus returns a corpus of files series of n rows, each with two
// windows of n/20 rows, and anomaly scores: mostly small noise, a peak in
// each window and a few false alarms. Every other series has its scores
// rounded to 1e-3, so that thresholds tie. The same seed gives the same
// corpus.
func syntheticCorpus(tb testing.TB, files, n int, seed uint64) (*Corpus, map[string][]float64) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	series := make([]*Series, files)
	scores := make(map[string][]float64, files)
	w := n / 20
	for f := range files {
		name := fmt.Sprintf("synthetic/s%03d.csv", f)
		a := n/3 + rng.IntN(n/10)
		b := 2*n/3 + rng.IntN(n/10)
		series[f] = MustSeries(tb, name, n, [2]int{a, a + w - 1}, [2]int{b, b + w - 1})
		v := make([]float64, n)
		for i := range v {
			x := rng.Float64()
			x *= x
			x *= x
			x *= x
			v[i] = x
		}
		v[a+rng.IntN(w)] = 0.9 + 0.1*rng.Float64()
		v[b+rng.IntN(w)] = 0.9 + 0.1*rng.Float64()
		for range 3 {
			v[rng.IntN(n)] = 0.95 + 0.05*rng.Float64()
		}
		if f%2 == 0 {
			for i := range v {
				v[i] = math.Round(v[i]*1000) / 1000
			}
		}
		scores[name] = v
	}
	return MustCorpus(tb, series...), scores
}

// sizes are the benchmarks' size classes; large is about NAB's 365,558 rows.
var sizes = []struct {
	name     string
	files, n int
}{
	{"small", 1, 4032},
	{"medium", 10, 4032},
	{"large", 58, 6303},
}

// sink keeps benchmark results alive.
var sink float64

func BenchmarkScorerScore(b *testing.B) {
	for _, size := range sizes {
		b.Run(size.name, func(b *testing.B) {
			c, scores := syntheticCorpus(b, size.files, size.n, 1)
			sc := NewScorer(c)
			p := DefaultProfiles()[0]
			if _, err := sc.Score(scores, p); err != nil { // allocate the workspace
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(8 * c.NumRows()))
			for b.Loop() {
				res, err := sc.Score(scores, p)
				if err != nil {
					b.Fatal(err)
				}
				sink += res.Normalized
			}
		})
	}
}

func BenchmarkScorerScoreAtThreshold(b *testing.B) {
	for _, size := range sizes {
		b.Run(size.name, func(b *testing.B) {
			c, scores := syntheticCorpus(b, size.files, size.n, 1)
			sc := NewScorer(c)
			p := DefaultProfiles()[0]
			b.ReportAllocs()
			b.SetBytes(int64(8 * c.NumRows()))
			for b.Loop() {
				res, err := sc.ScoreAtThreshold(scores, p, 0.9)
				if err != nil {
					b.Fatal(err)
				}
				sink += res.Normalized
			}
		})
	}
}

func BenchmarkNewScorer(b *testing.B) {
	for _, size := range sizes {
		b.Run(size.name, func(b *testing.B) {
			c, _ := syntheticCorpus(b, size.files, size.n, 1)
			b.ReportAllocs()
			b.SetBytes(int64(8 * c.NumRows()))
			for b.Loop() {
				sink += float64(len(NewScorer(c).win))
			}
		})
	}
}

// BenchmarkNAB scores NAB's windowedGaussian results under the three
// profiles, as a tuning loop would: one Scorer, three optimisations.
func BenchmarkNAB(b *testing.B) {
	c, dir := MustLoadCorpus(b)
	scores, err := ReadResults(filepath.Join(dir, "results"), "windowedGaussian", c)
	if err != nil {
		b.Fatal(err)
	}
	sc := NewScorer(c)
	profiles := DefaultProfiles()
	if _, err := sc.Score(scores, profiles[0]); err != nil { // allocate the workspace
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(8 * c.NumRows()))
	for b.Loop() {
		for _, p := range profiles {
			res, err := sc.Score(scores, p)
			if err != nil {
				b.Fatal(err)
			}
			sink += res.Normalized
		}
	}
}

// BenchmarkLoadCorpus reads NAB's corpus and labels.
func BenchmarkLoadCorpus(b *testing.B) {
	dir := MustDataDir(b)
	b.ReportAllocs()
	for b.Loop() {
		c, err := LoadCorpus(dir)
		if err != nil {
			b.Fatal(err)
		}
		sink += float64(c.NumRows())
	}
}
