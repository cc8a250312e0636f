package tda

import (
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

	ecc    []float64 // per slot: largest distance to another point of the window
	sv     []float64 // lengths of the window's edges, sorted
	sa, sb []int32   // their endpoints (slots), sa > sb
	tv     []float64 // the next sorted list, built from sv/sa/sb and fresh, then swapped
	ta, tb []int32
	fresh  []edgeRec // the new point's edges

	samples []float64 // ring of the last (Dim-1)*Delay+1 samples
	seen    int       // samples pushed since Reset
	point   []float64 // the embedded point being pushed

	eng engine
}

type edgeRec struct {
	v    float64
	a, b int32
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
		sv:      make([]float64, 0, w*(w-1)/2),
		sa:      make([]int32, 0, w*(w-1)/2),
		sb:      make([]int32, 0, w*(w-1)/2),
		tv:      make([]float64, 0, w*(w-1)/2),
		ta:      make([]int32, 0, w*(w-1)/2),
		tb:      make([]int32, 0, w*(w-1)/2),
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
	s.sv, s.sa, s.sb = s.sv[:0], s.sa[:0], s.sb[:0]
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
		s.fresh = append(s.fresh, edgeRec{v, int32(max(slot, o)), int32(min(slot, o))})
	}
	evicting := s.m == w
	if !evicting {
		s.m++
	}
	s.next = (slot + 1) % w
	copy(s.coords[slot*d:slot*d+d], p)
	ecc := 0.0
	for _, e := range s.fresh {
		o := int(e.a + e.b - int32(slot))
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
	s.merge(evicting, int32(slot))
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
// of the evicted point in slot when evicting, in one pass into the spare buffers.
func (s *SlidingWindow) merge(evicting bool, slot int32) {
	f := s.fresh
	if len(f) <= 32 {
		for i := 1; i < len(f); i++ {
			for j := i; j > 0 && f[j].v < f[j-1].v; j-- {
				f[j], f[j-1] = f[j-1], f[j]
			}
		}
	} else {
		slices.SortFunc(f, func(x, y edgeRec) int {
			switch {
			case x.v < y.v:
				return -1
			case x.v > y.v:
				return 1
			}
			return 0
		})
	}
	sv, sa, sb := s.sv, s.sa[:len(s.sv)], s.sb[:len(s.sv)]
	n := len(sv) + len(f)
	if evicting {
		n -= len(f) // the evicted point had as many edges as the new one
	}
	tv, ta, tb := s.tv[:n], s.ta[:n], s.tb[:n]
	k, j := 0, 0
	for i, v := range sv {
		a, b := sa[i], sb[i]
		if evicting && (a == slot || b == slot) {
			continue
		}
		for j < len(f) && f[j].v < v {
			tv[k], ta[k], tb[k] = f[j].v, f[j].a, f[j].b
			j++
			k++
		}
		tv[k], ta[k], tb[k] = v, a, b
		k++
	}
	for ; j < len(f); j++ {
		tv[k], ta[k], tb[k] = f[j].v, f[j].a, f[j].b
		k++
	}
	s.sv, s.tv = tv, sv
	s.sa, s.ta = ta, sa
	s.sb, s.tb = tb, sb
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
	d, err := s.eng.run(s.m, s.cfg.Options.MaxDim, s.sv[:ne], s.sa[:ne], s.sb[:ne])
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
