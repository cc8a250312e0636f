package tda

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// WindowConfig configures a SlidingWindow.
type WindowConfig struct {
	// Points is the window length W in points, >= 1 (the streaming detector uses about 50).
	Points int
	// Dim is the dimension of the points given to PushPoint, or the Takens embedding
	// dimension d of the points built by PushSample; >= 1.
	Dim int
	// Delay is the Takens delay tau used by PushSample; <= 0 means 1.
	Delay int
	// Options selects the homology dimensions and the edge limit, as for Persistence.
	Options Options
}

// SlidingWindow computes the persistence of the last W points of a stream. It keeps the
// distance matrix of the window and the window's edges sorted by length: a push evicts
// the oldest point, computes only the distances of the new one and merges its edges into
// the sorted list, so nothing is recomputed or shifted. Points are numbered by their slot
// in a ring, which the barcode does not depend on. Once the window is full and its buffers
// have grown, Push and Diagram do not allocate.
//
// Points come either from PushPoint (multivariate points of dimension Dim) or from
// PushSample, which builds the Takens delay embedding of a scalar series: after samples
// x[0..t], the window holds the points i = t-(d-1)*tau-W+1 .. t-(d-1)*tau (those >= 0),
// point i being (x[i], x[i+tau], ..., x[i+(d-1)*tau]) — the same points as TakensTo on
// the series. Do not mix the two on one window.
//
// A SlidingWindow is not safe for concurrent use.
type SlidingWindow struct {
	noCopy noCopy
	cfg    WindowConfig

	coords []float64 // W*Dim: the point in slot s is coords[s*Dim:(s+1)*Dim]
	dist   []float64 // W*W distances by slot
	m      int       // points in the window
	next   int       // slot of the next point: the oldest one once the window is full

	ecc   []float64 // per slot: largest distance to another point of the window
	sv    []float64 // lengths of the window's edges, sorted
	se    []uint32  // their endpoints (slots) a<<16 | b, a > b
	tv    []float64 // the next sorted list, built from sv/se and fresh, then swapped
	te    []uint32
	fresh []edgeRec // the new point's edges
	gone  int       // the number of edges of the evicted point, 0 if none

	samples []float64 // ring of the last (Dim-1)*Delay+1 samples
	seen    int       // samples pushed since Reset
	point   []float64 // the embedded point being pushed

	eng engine
}

type edgeRec struct {
	v    float64
	ends uint32 // a<<16 | b, a > b
}

// NewSlidingWindow returns an empty window. It returns an error if cfg.Points or cfg.Dim
// is < 1, cfg.Points is over the vertex limit, or cfg.Options.MaxDim is out of range.
func NewSlidingWindow(cfg WindowConfig) (*SlidingWindow, error) {
	switch {
	case cfg.Points < 1 || cfg.Points > maxVertices:
		return nil, fmt.Errorf("window of %d points: must be in [1, %d]", cfg.Points, maxVertices)
	case cfg.Dim < 1:
		return nil, fmt.Errorf("window point dimension %d: must be >= 1", cfg.Dim)
	}
	if err := cfg.Options.validate(); err != nil {
		return nil, err
	}
	cfg.Delay = max(cfg.Delay, 1)
	w, d := cfg.Points, cfg.Dim
	return &SlidingWindow{
		cfg:     cfg,
		coords:  make([]float64, w*d),
		dist:    make([]float64, w*w),
		ecc:     make([]float64, w),
		sv:      make([]float64, 0, w*(w-1)/2+1), // +1: merge writes one past the end
		se:      make([]uint32, 0, w*(w-1)/2+1),
		tv:      make([]float64, 0, w*(w-1)/2+1),
		te:      make([]uint32, 0, w*(w-1)/2+1),
		fresh:   make([]edgeRec, 0, w),
		samples: make([]float64, (d-1)*cfg.Delay+1),
		point:   make([]float64, d),
	}, nil
}

// Len returns the number of points in the window.
func (s *SlidingWindow) Len() int { return s.m }

// Full reports whether the window holds Points points.
func (s *SlidingWindow) Full() bool { return s.m == s.cfg.Points }

// Reset empties the window and forgets the samples, keeping the buffers.
func (s *SlidingWindow) Reset() {
	s.m, s.next, s.seen = 0, 0, 0
	s.sv, s.se = s.sv[:0], s.se[:0]
	clear(s.ecc)
}

// PushSample appends a sample of the scalar series. Once (Dim-1)*Delay+1 samples have
// been seen, every sample completes one embedded point, which is pushed into the window;
// PushSample reports whether it did. It returns an error wrapping ErrNotFinite, and
// changes nothing, if x is NaN or infinite or a distance of the new point overflows.
func (s *SlidingWindow) PushSample(x float64) (bool, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return false, fmt.Errorf("sample %d: %w", s.seen, ErrNotFinite)
	}
	l := len(s.samples)
	s.samples[s.seen%l] = x
	s.seen++
	if s.seen < l {
		return false, nil
	}
	first := s.seen - l // index of the point's first sample
	for k := range s.point {
		s.point[k] = s.samples[(first+k*s.cfg.Delay)%l]
	}
	if err := s.push(s.point); err != nil {
		s.seen-- // forget the sample: the ring slot it took is rewritten by the next one
		return false, fmt.Errorf("sample %d: %w", s.seen, err)
	}
	return true, nil
}

// PushPoint appends a point to the window, evicting the oldest one when the window is
// full. p is copied. PushPoint panics if len(p) != Dim, and returns an error wrapping
// ErrNotFinite, changing nothing, if a coordinate is NaN or infinite or a distance to
// another point of the window overflows.
func (s *SlidingWindow) PushPoint(p []float64) error {
	if len(p) != s.cfg.Dim {
		panic(fmt.Sprintf("tda: point of dimension %d pushed to a window of dimension %d", len(p), s.cfg.Dim))
	}
	for k, x := range p {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("coordinate %d: %w", k, ErrNotFinite)
		}
	}
	return s.push(p)
}

// push adds p to the window; it fails with ErrNotFinite, changing nothing, if a distance
// to another point of the window overflows.
func (s *SlidingWindow) push(p []float64) error {
	w, d := s.cfg.Points, s.cfg.Dim
	slot := s.next
	// Distances from p to the points that stay: every occupied slot but the replaced one.
	s.fresh = s.fresh[:0]
	for o := range s.m {
		if o == slot {
			continue
		}
		po := s.coords[o*d : o*d+d]
		sum := 0.0
		for k, x := range p {
			t := x - po[k]
			sum += t * t
		}
		v := math.Sqrt(sum)
		if math.IsInf(v, 1) {
			return fmt.Errorf("distance to a point of the window overflows: %w", ErrNotFinite)
		}
		s.fresh = append(s.fresh, edgeRec{v, uint32(max(slot, o))<<16 | uint32(min(slot, o))})
	}
	evicting := s.m == w
	if !evicting {
		s.m++
	}
	s.next = (slot + 1) % w
	copy(s.coords[slot*d:slot*d+d], p)
	ecc := 0.0
	s.gone = 0
	if evicting {
		s.gone = len(s.fresh) // the evicted point had as many edges as the new one
	}
	for _, e := range s.fresh {
		a, b := endpoints(e.ends)
		o := a + b - slot
		old := s.dist[o*w+slot]
		s.dist[slot*w+o], s.dist[o*w+slot] = e.v, e.v
		ecc = max(ecc, e.v)
		switch {
		case e.v >= s.ecc[o]:
			s.ecc[o] = e.v
		case evicting && old == s.ecc[o]:
			s.ecc[o] = s.rowMax(o) // o's farthest point may have left
		}
	}
	s.dist[slot*w+slot] = 0
	s.ecc[slot] = ecc
	s.merge(slot)
	return nil
}

// rowMax returns the largest distance from slot o to the other points of the window.
func (s *SlidingWindow) rowMax(o int) float64 {
	w := s.cfg.Points
	e := 0.0
	for _, v := range s.dist[o*w : o*w+s.m] {
		if v > e {
			e = v
		}
	}
	return e
}

// merge sorts the new edges and merges them with the sorted list, leaving out the edges
// of the evicted point in slot, if any, in one pass into the spare buffers. On equal
// lengths the edges already in the list come first.
func (s *SlidingWindow) merge(slot int) {
	f := s.fresh
	if len(f) <= 64 {
		// Insertion sort (by moves, not swaps): the W-1 new edges of a streaming window
		// are few, and it is several times faster than slices.SortFunc on them.
		for i := 1; i < len(f); i++ {
			x := f[i]
			j := i
			for ; j > 0 && x.v < f[j-1].v; j-- {
				f[j] = f[j-1]
			}
			f[j] = x
		}
	} else {
		slices.SortFunc(f, func(x, y edgeRec) int { return cmp.Compare(x.v, y.v) })
	}
	sv, se := s.sv, s.se[:len(s.sv)]
	n := len(sv) + len(f) - s.gone
	// keepUpTo may write one evicted edge past the end: the buffers have a spare element.
	tv, te := s.tv[:n+1], s.te[:n+1]
	drop := uint32(maxVertices) // matches no endpoint: nothing is evicted
	if s.gone > 0 {
		drop = uint32(slot)
	}
	i, k := 0, 0
	for _, e := range f {
		read, written := keepUpTo(tv[k:], te[k:], sv[i:], se[i:], drop, e.v)
		i, k = i+read, k+written
		tv[k], te[k] = e.v, e.ends
		k++
	}
	keepUpTo(tv[k:], te[k:], sv[i:], se[i:], drop, math.Inf(1))
	s.sv, s.tv = tv[:n], sv
	s.se, s.te = te[:n], se
}

// keepUpTo copies the edges (sv[i], se[i]) from the start up to the first one longer
// than limit into (tv, te), leaving out those with an endpoint drop. It returns the
// number of edges read and written. Every edge read is written, then overwritten by the
// next if it is left out, so tv and te need room for one more than are kept.
func keepUpTo(tv []float64, te []uint32, sv []float64, se []uint32, drop uint32, limit float64) (read, written int) {
	se = se[:len(sv)]
	k := 0
	for i, v := range sv {
		if v > limit {
			return i, k
		}
		x := se[i]
		tv[k], te[k] = v, x
		// Branch-free: advance unless an endpoint is the evicted slot.
		p := int((x>>16)^drop) * int((x&0xffff)^drop)
		k += int(uint(p|-p) >> 63)
	}
	return len(sv), k
}

// Diagram returns the barcode of the points in the window, as Workspace.Persistence would
// for them (threshold: Options.MaxEdge or the enclosing radius). The diagram aliases the
// window's buffers and is valid until the next call of any method. It returns an error
// wrapping ErrNoPoints if the window is empty.
func (s *SlidingWindow) Diagram() (Diagram, error) {
	if s.m == 0 {
		return nil, ErrNoPoints
	}
	t := min(s.cfg.Options.limit(), s.enclosingRadius())
	lo, hi := 0, len(s.sv) // number of edges of length <= t
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if s.sv[mid] <= t {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	ne := lo
	d, err := s.eng.run(s.m, s.cfg.Options.MaxDim, s.sv[:ne], s.se[:ne])
	if err != nil {
		return nil, fmt.Errorf("window diagram: %w", err)
	}
	return d, nil
}

// enclosingRadius returns min over the points of their largest distance, +Inf for one.
func (s *SlidingWindow) enclosingRadius() float64 {
	if s.m < 2 {
		return math.Inf(1)
	}
	r := math.Inf(1)
	for _, e := range s.ecc[:s.m] {
		if e < r {
			r = e
		}
	}
	return r
}
