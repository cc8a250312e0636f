package tda

import (
	"fmt"
	"math"
)

// Workspace computes Vietoris–Rips persistence and keeps every buffer between calls, so
// that repeated calls on clouds of similar size do not allocate. The zero value is ready to
// use. A Workspace is not safe for concurrent use; give each goroutine its own.
type Workspace struct {
	noCopy noCopy

	dist []float64 // compressed lower triangle: distance of i > j at i*(i-1)/2 + j
	ecc  []float64 // eccentricity of each point: its largest distance

	keys, tkeys []uint64 // edge lengths as ordered bits, for the radix sort
	pay, tpay   []uint32 // edge endpoints a<<16 | b, sorted alongside
	val         []float64
	ends        []uint32 // the sorted endpoints: pay or tpay

	eng engine
}

// Persistence returns the Vietoris–Rips barcode of the n = len(points)/dim points stored
// row-major in points (point i is points[i*dim:(i+1)*dim]), with Euclidean distances
// sqrt(sum_k (p_ik - p_jk)^2) computed in coordinate order, up to H_{opt.MaxDim}.
//
// The threshold is opt.MaxEdge when set, otherwise the enclosing radius min_i max_j d(i,j)
// (beyond it the complex is a cone, so no bar of dimension >= 1 dies later and the
// single H0 class never dies); a smaller threshold that gives the same bars is also used
// when MaxEdge exceeds the enclosing radius.
//
// The returned diagram aliases w's buffers and is valid until the next call on w; use
// Diagram.Clone to keep it. points is not modified.
//
// Persistence panics if dim < 1 or len(points) is not a multiple of dim. It returns an
// error wrapping ErrNoPoints, ErrNotFinite (also when a distance overflows), ErrMaxDim or
// ErrTooManyPoints for bad data.
func (w *Workspace) Persistence(points []float64, dim int, opt Options) (Diagram, error) {
	if dim < 1 || len(points)%dim != 0 {
		panic(fmt.Sprintf("tda: %d coordinates do not make points of dimension %d", len(points), dim))
	}
	if err := opt.validate(); err != nil {
		return nil, err
	}
	n := len(points) / dim
	if n == 0 {
		return nil, ErrNoPoints
	}
	if _, ok := keyBits(n, opt.MaxDim, n*(n-1)/2); n > maxVertices || !ok {
		return nil, fmt.Errorf("%d points with max dimension %d: %w", n, opt.MaxDim, ErrTooManyPoints)
	}
	for i, x := range points {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("point %d coordinate %d: %w", i/dim, i%dim, ErrNotFinite)
		}
	}
	w.distances(points, dim, n)
	for _, e := range w.ecc[:n] {
		if math.IsInf(e, 1) {
			return nil, fmt.Errorf("distance overflows: %w", ErrNotFinite)
		}
	}
	t := min(opt.limit(), w.enclosingRadius(n))
	w.sortedEdges(n, t)
	return w.eng.run(n, opt.MaxDim, w.val, w.ends)
}

// distances fills the compressed distance matrix and the eccentricities.
func (w *Workspace) distances(points []float64, dim, n int) {
	w.dist = grow(w.dist, n*(n-1)/2)
	w.ecc = grow(w.ecc, n)
	clear(w.ecc)
	d := w.dist
	for i := 1; i < n; i++ {
		pi := points[i*dim : i*dim+dim]
		row := d[i*(i-1)/2 : i*(i-1)/2+i]
		ei := 0.0
		for j := range row {
			pj := points[j*dim : j*dim+dim]
			s := 0.0
			for k, x := range pi {
				t := x - pj[k]
				s += t * t
			}
			v := math.Sqrt(s)
			row[j] = v
			if v > ei {
				ei = v
			}
			if v > w.ecc[j] {
				w.ecc[j] = v
			}
		}
		w.ecc[i] = ei
	}
}

// enclosingRadius returns min_i max_j d(i, j), +Inf for a single point.
func (w *Workspace) enclosingRadius(n int) float64 {
	if n < 2 {
		return math.Inf(1)
	}
	r := math.Inf(1)
	for _, e := range w.ecc[:n] {
		r = min(r, e)
	}
	return r
}

// sortedEdges collects the edges of length <= t and sorts them by length; ties keep the
// order of the combinatorial index. It fills w.val and w.ends.
func (w *Workspace) sortedEdges(n int, t float64) {
	m := len(w.dist)
	w.keys = grow(w.keys, m)[:0]
	w.pay = grow(w.pay, m)[:0]
	for i := 1; i < n; i++ {
		row := w.dist[i*(i-1)/2 : i*(i-1)/2+i]
		for j, v := range row {
			if v <= t {
				w.keys = append(w.keys, math.Float64bits(v))
				w.pay = append(w.pay, uint32(i)<<16|uint32(j))
			}
		}
	}
	w.tkeys = grow(w.tkeys, len(w.keys))
	w.tpay = grow(w.tpay, len(w.keys))
	keys, pay := radixSort(w.keys, w.pay, w.tkeys, w.tpay)
	w.val = grow(w.val, len(keys))
	for r, k := range keys {
		w.val[r] = math.Float64frombits(k)
	}
	w.ends = pay
}

// Persistence is a convenience wrapper of Workspace.Persistence for points given as rows.
// It allocates a workspace and returns a diagram that it owns. It panics if the rows do not
// all have the same non-zero length.
func Persistence(points [][]float64, opt Options) (Diagram, error) {
	if len(points) == 0 {
		return nil, ErrNoPoints
	}
	dim := len(points[0])
	flat := make([]float64, 0, len(points)*dim)
	for i, p := range points {
		if len(p) != dim {
			panic(fmt.Sprintf("tda: point %d has %d coordinates, point 0 has %d", i, len(p), dim))
		}
		flat = append(flat, p...)
	}
	var w Workspace
	d, err := w.Persistence(flat, dim, opt)
	if err != nil {
		return nil, err
	}
	return d.Clone(), nil
}

// noCopy may be embedded in structs that must not be copied after first use; go vet's
// copylocks check reports copies.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}
