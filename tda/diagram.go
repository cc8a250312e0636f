package tda

import (
	"cmp"
	"errors"
	"math"
	"slices"
)

// MaxHomologyDim is the largest Options.MaxDim that Persistence accepts.
const MaxHomologyDim = 2

// Errors returned for bad data. They are wrapped with context, so compare them with errors.Is.
var (
	// ErrNoPoints is returned when a cloud or a window holds no point.
	ErrNoPoints = errors.New("tda: no points")
	// ErrNotFinite is returned when a coordinate or a sample is NaN or infinite.
	ErrNotFinite = errors.New("tda: value is not finite")
	// ErrMaxDim is returned when Options.MaxDim is outside [0, MaxHomologyDim].
	ErrMaxDim = errors.New("tda: max dimension out of range")
	// ErrTooManyPoints is returned when the cloud is too large for the 64-bit simplex keys:
	// more than about 9000 points with MaxDim 1, 2500 with MaxDim 2, 65536 with MaxDim 0.
	ErrTooManyPoints = errors.New("tda: too many points")
)

// Bar is one persistence interval [Birth, Death). Death is math.Inf(1) for a class that is
// still alive at the threshold (an infinite bar).
type Bar struct {
	Birth, Death float64
}

// Lifetime returns Death - Birth (+Inf for an infinite bar).
func (b Bar) Lifetime() float64 { return b.Death - b.Birth }

// Finite reports whether the bar has a finite death.
func (b Bar) Finite() bool { return !math.IsInf(b.Death, 1) }

// Diagram is a persistence diagram indexed by homology dimension: d[k] holds the bars of H_k,
// sorted by (Birth, Death) with infinite deaths last. len(d) is Options.MaxDim+1.
type Diagram [][]Bar

// Clone returns a deep copy of d that does not share memory with a workspace.
func (d Diagram) Clone() Diagram {
	c := make(Diagram, len(d))
	for k, bars := range d {
		c[k] = slices.Clone(bars)
		if c[k] == nil {
			c[k] = []Bar{}
		}
	}
	return c
}

// Options selects what Persistence computes. The zero value computes H0 only, with no
// edge limit.
type Options struct {
	// MaxDim is the highest homology dimension reported, 0 to MaxHomologyDim. The complex
	// is built up to dimension MaxDim+1.
	MaxDim int
	// MaxEdge is the longest edge in the complex: edges of length <= MaxEdge are in it and
	// bars still alive at MaxEdge are infinite. MaxEdge <= 0, +Inf or NaN mean no limit.
	MaxEdge float64
}

// limit returns the edge limit of o, +Inf for none.
func (o Options) limit() float64 {
	if !(o.MaxEdge > 0) || math.IsInf(o.MaxEdge, 1) {
		return math.Inf(1)
	}
	return o.MaxEdge
}

func (o Options) validate() error {
	if o.MaxDim < 0 || o.MaxDim > MaxHomologyDim {
		return ErrMaxDim
	}
	return nil
}

// compareBars orders bars by birth, then death; +Inf deaths sort last.
func compareBars(a, b Bar) int {
	if c := cmp.Compare(a.Birth, b.Birth); c != 0 {
		return c
	}
	return cmp.Compare(a.Death, b.Death)
}

// sortBars sorts bars in place by (Birth, Death) without allocating. H0 bars come sorted
// from Kruskal's order, so it first checks whether there is anything to do.
func sortBars(bars []Bar) {
	sorted := true
	for i := 1; i < len(bars) && sorted; i++ {
		sorted = compareBars(bars[i-1], bars[i]) <= 0
	}
	if sorted {
		return
	}
	if len(bars) <= 16 {
		for i := 1; i < len(bars); i++ {
			for j := i; j > 0 && compareBars(bars[j], bars[j-1]) < 0; j-- {
				bars[j], bars[j-1] = bars[j-1], bars[j]
			}
		}
		return
	}
	slices.SortFunc(bars, compareBars)
}
