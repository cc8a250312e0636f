package stream

import (
	"math"

	"github.com/topoforge/topoforge/tda"
)

// BettiEpsilon is the bar length, in scale units, above which a bar counts in the Betti
// numbers of an Analysis: shorter bars are noise at the stream's own scale.
const BettiEpsilon = 0.5

// LandscapeResolution is the number of grid points of Analysis.Landscape.
const LandscapeResolution = 32

// topology holds the scaled diagram of the current window and what is derived from it.
// Its buffers are sized once for the window.
type topology struct {
	bars   []tda.Bar                   // the bars of all dimensions, in scale units
	dims   [tda.MaxHomologyDim + 2]int // bars[dims[k]:dims[k+1]] are those of H_k
	lx, ly []float64
}

func newTopology(w, maxDim int) topology {
	return topology{
		bars: make([]tda.Bar, 0, w*(maxDim+1)+8),
		lx:   make([]float64, LandscapeResolution),
		ly:   make([]float64, LandscapeResolution),
	}
}

func (t *topology) dim(k int) []tda.Bar { return t.bars[t.dims[k]:t.dims[k+1]] }

// set copies the diagram d of a window, dividing every bar by scale, and writes the
// topological features of d, in reference units (unscaled), into f[:nTopo].
func (t *topology) set(f []float64, d tda.Diagram, scale float64, maxDim int) {
	inv := 1 / scale
	t.bars = t.bars[:0]
	for k := 0; k <= tda.MaxHomologyDim; k++ {
		t.dims[k] = len(t.bars)
		if k <= maxDim && k < len(d) {
			for _, b := range d[k] {
				t.bars = append(t.bars, tda.Bar{Birth: b.Birth * inv, Death: b.Death * inv})
			}
		}
	}
	t.dims[tda.MaxHomologyDim+1] = len(t.bars)

	gap := 0.0
	for _, b := range d[0] {
		if b.Finite() {
			gap = math.Max(gap, b.Lifetime())
		}
	}
	f[featGap] = gap
	f[featH1] = 0
	if maxDim >= 1 {
		f[featH1] = tda.TotalLifetime(d[1])
	}
	f[featEntropy] = tda.PooledEntropy(d...)
}

// describe fills the topological fields of a from the scaled bars and the features f.
func (t *topology) describe(a *Analysis, f []float64, maxDim int) {
	a.Entropy = f[featEntropy] // scale-invariant
	a.TotalLifetime = tda.TotalLifetime(t.bars)
	a.Betti = BettiNumbers{
		H0: tda.BarsOverEpsilon(t.dim(0), BettiEpsilon),
		H1: tda.BarsOverEpsilon(t.dim(1), BettiEpsilon),
		H2: tda.BarsOverEpsilon(t.dim(2), BettiEpsilon),
	}

	// First landscape of the highest computed dimension that has a finite bar.
	bars := t.dim(maxDim)
	lo, hi := tda.FiniteRange(bars)
	for k := maxDim - 1; k >= 0 && lo == hi; k-- {
		bars = t.dim(k)
		lo, hi = tda.FiniteRange(bars)
	}
	if lo == hi {
		lo, hi = 0, 1
	}
	tda.GridTo(t.lx, lo, hi, LandscapeResolution)
	tda.LandscapeTo(t.ly, bars, 1, LandscapeResolution, lo, hi)
	a.Landscape = Landscape{X: t.lx, Y: t.ly}
}
