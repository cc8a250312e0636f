package tdajson

import (
	"errors"
	"math"
	"slices"

	"github.com/topoforge/topoforge/tda"
)

// Landscape parameters of the golden format.
const (
	// NumLandscapes is the number of landscapes per dimension, lambda_1..lambda_5.
	NumLandscapes = 5
	// Resolution is the number of grid points of each landscape.
	Resolution = 100
)

// EmbeddingConvention describes the delay embedding, as written in the output.
const EmbeddingConvention = "point i = (x[i], x[i+tau], ..., x[i+(d-1)tau])"

// Result is the answer to one Input in the golden expected format: Cloud for a point
// cloud or a series, Windows for a streaming input.
type Result struct {
	Name, Description string
	// Embedding is set for series inputs.
	Embedding *Embedding
	// Points holds the embedded cloud of a single (non-streaming) series input.
	Points [][]float64
	// Cloud holds the features of a single cloud.
	Cloud *Features
	// Window and Stride are set, and Windows holds one entry per window, for streaming.
	Window, Stride int
	Windows        []Features
}

// Embedding is the delay embedding of a series input.
type Embedding struct {
	Dim, Delay int
}

// Features are the topological summaries of one cloud or window. Slices indexed by
// dimension have MaxDim+1 entries.
type Features struct {
	// Start is the index of the window's first sample (or point); windows only.
	Start        int
	NPoints      int
	AmbientDim   int
	MaxDim       int
	MaxEdge      *float64
	NumSimplices int64
	Diagram      tda.Diagram
	// BettiAtMaxEdge counts the infinite bars of each dimension.
	BettiAtMaxEdge   []int
	BettiAt          []BettiAt
	Epsilon          float64
	BarsOverEpsilon  []int
	Entropy          []float64
	EntropyAll       float64
	TotalLifetime    []float64
	TotalLifetimeAll float64
	// Landscapes has one entry per dimension for single clouds; nil for windows.
	Landscapes []Landscape
	// Bottleneck and Wasserstein1 compare a window's diagram with the previous window's,
	// per dimension; +Inf when their numbers of infinite bars differ. nil for the first
	// window and for single clouds.
	Bottleneck, Wasserstein1 []float64
}

// BettiAt holds the Betti numbers at one filtration value.
type BettiAt struct {
	T     float64
	Betti []int
}

// Landscape holds lambda_1..lambda_NumLandscapes of one dimension sampled on X.
type Landscape struct {
	Range [2]float64
	X     []float64
	Y     [][]float64
}

// Compute validates in against c's limits and computes its result. Every error is an
// *InputError.
func (c Config) Compute(in *Input) (*Result, error) {
	c = c.withDefaults()
	if err := c.validate(in); err != nil {
		return nil, err
	}
	opt := tda.Options{MaxDim: in.maxDim()}
	if in.MaxEdge != nil {
		opt.MaxEdge = *in.MaxEdge
	}
	res := &Result{Name: in.Name, Description: in.Description}
	if in.Series != nil {
		res.Embedding = &Embedding{Dim: in.Dim, Delay: in.Delay}
	}
	if in.Window > 0 {
		res.Window, res.Stride = in.Window, in.stride()
		ws, err := computeWindows(in, opt)
		if err != nil {
			return nil, err
		}
		res.Windows = ws
		return res, nil
	}
	var flat []float64
	dim := in.Dim
	if in.Series != nil {
		flat = tda.TakensTo(nil, in.Series, in.Dim, in.Delay)
		res.Points = rows(flat, dim)
	} else {
		dim = len(in.Points[0])
		flat = slices.Concat(in.Points...)
	}
	var w tda.Workspace
	d, err := w.Persistence(flat, dim, opt)
	if err != nil {
		return nil, &InputError{Field: "points", Err: err}
	}
	f := features(in, d, flat, dim, opt)
	f.Landscapes = landscapes(in, d)
	res.Cloud = &f
	return res, nil
}

// computeWindows runs a tda.SlidingWindow over the series (or points) and reports each
// window, with distances to the previous one.
func computeWindows(in *Input, opt tda.Options) ([]Features, error) {
	stride := in.stride()
	cfg := tda.WindowConfig{Dim: in.Dim, Delay: in.Delay, Options: opt}
	n := len(in.Series)
	if in.Series != nil {
		cfg.Points = tda.TakensLen(in.Window, in.Dim, in.Delay)
	} else {
		cfg.Points, cfg.Dim, n = in.Window, len(in.Points[0]), len(in.Points)
	}
	sw, err := tda.NewSlidingWindow(cfg)
	if err != nil {
		return nil, &InputError{Field: "window", Err: err}
	}
	var out []Features
	var prev tda.Diagram
	var pts []float64
	for i := range n {
		if in.Series != nil {
			_, err = sw.PushSample(in.Series[i])
		} else {
			err = sw.PushPoint(in.Points[i])
		}
		if err != nil {
			return nil, &InputError{Field: "series", Err: err}
		}
		end := i + 1
		if end < in.Window || (end-in.Window)%stride != 0 {
			continue
		}
		d, err := sw.Diagram()
		if err != nil {
			return nil, &InputError{Field: "window", Err: err}
		}
		d = d.Clone()
		start := end - in.Window
		if in.Series != nil {
			pts = tda.TakensTo(pts[:0], in.Series[start:end], in.Dim, in.Delay)
		} else {
			pts = slices.Concat(in.Points[start:end]...)
		}
		f := features(in, d, pts, cfg.Dim, opt)
		f.Start = start
		if prev != nil {
			f.Bottleneck = make([]float64, len(d))
			f.Wasserstein1 = make([]float64, len(d))
			for k := range d {
				f.Bottleneck[k] = tda.Bottleneck(prev[k], d[k])
				f.Wasserstein1[k] = tda.Wasserstein1(prev[k], d[k])
			}
		}
		out = append(out, f)
		prev = d
	}
	if len(out) == 0 {
		return nil, &InputError{Field: "window", Err: errors.New("no complete window")}
	}
	return out, nil
}

// features computes everything but the landscapes and distances for one diagram.
func features(in *Input, d tda.Diagram, pts []float64, dim int, opt tda.Options) Features {
	f := Features{
		NPoints:      len(pts) / dim,
		AmbientDim:   dim,
		MaxDim:       opt.MaxDim,
		MaxEdge:      in.MaxEdge,
		NumSimplices: tda.CountSimplices(pts, dim, opt.MaxDim, opt.MaxEdge),
		Diagram:      d,
		Epsilon:      in.Epsilon,
	}
	for _, bars := range d {
		inf := 0
		for _, b := range bars {
			if !b.Finite() {
				inf++
			}
		}
		f.BettiAtMaxEdge = append(f.BettiAtMaxEdge, inf)
		f.BarsOverEpsilon = append(f.BarsOverEpsilon, tda.BarsOverEpsilon(bars, in.Epsilon))
		f.Entropy = append(f.Entropy, tda.Entropy(bars))
		tl := tda.TotalLifetime(bars)
		f.TotalLifetime = append(f.TotalLifetime, tl)
		f.TotalLifetimeAll += tl
	}
	f.EntropyAll = tda.PooledEntropy(d...)
	for _, t := range in.BettiAt {
		b := BettiAt{T: t}
		for _, bars := range d {
			b.Betti = append(b.Betti, tda.BettiAt(bars, t))
		}
		f.BettiAt = append(f.BettiAt, b)
	}
	return f
}

// landscapes computes the landscapes of every dimension on the input's or default range.
func landscapes(in *Input, d tda.Diagram) []Landscape {
	out := make([]Landscape, len(d))
	for k, bars := range d {
		ab, ok := in.LandscapeRange.Range(k)
		if !ok {
			ab[0], ab[1] = tda.FiniteRange(bars)
		}
		flat := tda.LandscapeTo(nil, bars, NumLandscapes, Resolution, ab[0], ab[1])
		out[k] = Landscape{Range: ab, X: tda.GridTo(nil, ab[0], ab[1], Resolution), Y: rows(flat, Resolution)}
	}
	return out
}

// rows splits a row-major slice into rows of length dim that share its memory.
func rows(flat []float64, dim int) [][]float64 {
	out := make([][]float64, len(flat)/dim)
	for i := range out {
		out[i] = flat[i*dim : i*dim+dim : i*dim+dim]
	}
	return out
}

// isNull reports whether a distance is written as null.
func isNull(x float64) bool { return math.IsInf(x, 0) || math.IsNaN(x) }
