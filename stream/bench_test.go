package stream

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// sineSource returns a generator of a sine of the given period with Gaussian noise of
// standard deviation noise (amplitude 10).
func sineSource(seed uint64, period, noise float64) func() float64 {
	rng := rand.New(rand.NewPCG(seed, 2))
	i := 0
	return func() float64 {
		x := 10*math.Sin(2*math.Pi*float64(i)/period) + noise*rng.NormFloat64()
		i++
		return x
	}
}

// BenchmarkPush measures one event in steady state: a window of W points, d = 3, H0+H1.
func BenchmarkPush(b *testing.B) {
	for _, c := range []struct {
		w, maxDim int
	}{{20, 1}, {50, 1}, {50, 0}, {100, 1}} {
		b.Run(fmt.Sprintf("W%d_H%d", c.w, c.maxDim), func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.WindowSize, cfg.MaxDim = c.w, c.maxDim
			a, err := NewAnalyzer(cfg)
			if err != nil {
				b.Fatal(err)
			}
			next := sineSource(1, 100, 0.5)
			p := []float64{0}
			for range 2000 {
				p[0] = next()
				if _, _, err := a.Push(p); err != nil {
					b.Fatal(err)
				}
			}
			var sink float64
			b.ReportAllocs()
			for b.Loop() {
				p[0] = next()
				an, _, err := a.Push(p)
				if err != nil {
					b.Fatal(err)
				}
				sink += an.Scores.Total
			}
			_ = sink
		})
	}
}
