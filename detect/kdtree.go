package detect

import "math"

// kdLeafSize bounds the points held by a KD-tree leaf.
const kdLeafSize = 16

// neighbor is one result of a nearest-neighbour query: a squared Euclidean
// distance and a training row index.
type neighbor struct {
	d2  float64
	idx int32
}

// before orders neighbours by distance, then index, so that queries are
// deterministic when distances tie.
func (a neighbor) before(b neighbor) bool {
	return a.d2 < b.d2 || (a.d2 == b.d2 && a.idx < b.idx)
}

// kdTree answers exact k-nearest-neighbour queries in Euclidean distance.
// It uses O(n·d) memory: a reordered copy of the points, their original
// indexes and a bounding box per node. Building is deterministic, so a tree
// rebuilt from the same points answers identically.
type kdTree struct {
	d      int
	pts    []float64 // points in tree order, row-major
	idx    []int32   // original index of each point in tree order
	nodes  []kdNode
	bounds []float64 // per node: d minimums then d maximums
}

type kdNode struct {
	lo, hi      int32 // point range [lo, hi)
	left, right int32 // children, -1 for a leaf
}

func newKDTree(x []float64, n, d int) *kdTree {
	t := &kdTree{d: d, pts: make([]float64, n*d), idx: make([]int32, n)}
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	t.build(x, perm, 0, n)
	for i, p := range perm {
		copy(t.pts[i*d:(i+1)*d], x[int(p)*d:(int(p)+1)*d])
		t.idx[i] = p
	}
	return t
}

// build creates the node for perm[lo:hi] and returns its index.
func (t *kdTree) build(x []float64, perm []int32, lo, hi int) int32 {
	d := t.d
	id := int32(len(t.nodes))
	t.nodes = append(t.nodes, kdNode{lo: int32(lo), hi: int32(hi), left: -1, right: -1})
	base := len(t.bounds)
	t.bounds = append(t.bounds, make([]float64, 2*d)...)
	bmin, bmax := t.bounds[base:base+d], t.bounds[base+d:base+2*d]
	for j := 0; j < d; j++ {
		bmin[j], bmax[j] = math.Inf(1), math.Inf(-1)
	}
	for _, p := range perm[lo:hi] {
		row := x[int(p)*d : (int(p)+1)*d]
		for j, v := range row {
			bmin[j] = math.Min(bmin[j], v)
			bmax[j] = math.Max(bmax[j], v)
		}
	}
	if hi-lo <= kdLeafSize {
		return id
	}
	split, spread := 0, -1.0
	for j := 0; j < d; j++ {
		if s := bmax[j] - bmin[j]; s > spread {
			split, spread = j, s
		}
	}
	if spread <= 0 {
		return id // all points equal
	}
	mid := (lo + hi) / 2
	selectKth(x, d, split, perm[lo:hi], mid-lo)
	l := t.build(x, perm, lo, mid)
	r := t.build(x, perm, mid, hi)
	t.nodes[id].left, t.nodes[id].right = l, r
	return id
}

// selectKth reorders p so that p[k] has the k-th smallest coordinate c (ties
// broken by index), smaller ones before it and larger ones after it.
func selectKth(x []float64, d, c int, p []int32, k int) {
	quickselect(p, k, func(a, b int32) bool {
		va, vb := x[int(a)*d+c], x[int(b)*d+c]
		return va < vb || (va == vb && a < b)
	})
}

// knn returns the k nearest training points to q, nearest first, skipping
// the point whose original index is exclude (-1 for none). h is scratch
// storage of capacity at least k (allocated if smaller) and is returned.
func (t *kdTree) knn(q []float64, k int, exclude int32, h []neighbor) []neighbor {
	h = h[:0]
	if cap(h) < k {
		h = make([]neighbor, 0, k)
	}
	if k <= 0 || len(t.nodes) == 0 {
		return h
	}
	// Each stack entry holds a node and the squared distance from q to its
	// box, computed once when the node is pushed.
	var stack [64]struct {
		node int32
		d2   float64
	}
	sp := 0
	stack[0].node, stack[0].d2 = 0, 0
	sp++
	d := t.d
	for sp > 0 {
		sp--
		ni, nd2 := stack[sp].node, stack[sp].d2
		if len(h) == k && nd2 > h[0].d2 {
			continue
		}
		n := &t.nodes[ni]
		if n.left < 0 {
			for p := n.lo; p < n.hi; p++ {
				if t.idx[p] == exclude {
					continue
				}
				row := t.pts[int(p)*d : (int(p)+1)*d]
				worst := math.Inf(1)
				if len(h) == k {
					worst = h[0].d2
				}
				d2, ok := dist2Bounded(q, row, worst)
				if !ok {
					continue
				}
				c := neighbor{d2, t.idx[p]}
				if len(h) < k {
					h = heapPush(h, c)
				} else if c.before(h[0]) {
					h[0] = c
					heapDown(h, 0)
				}
			}
			continue
		}
		limit := math.Inf(1)
		if len(h) == k {
			limit = h[0].d2
		}
		dl := t.boxDist(n.left, q, limit)
		dr := t.boxDist(n.right, q, limit)
		if sp+2 > len(stack) {
			panic("detect: kd-tree deeper than 63 levels")
		}
		// Visit the nearer child first: push it last.
		if dl <= dr {
			stack[sp].node, stack[sp].d2 = n.right, dr
			stack[sp+1].node, stack[sp+1].d2 = n.left, dl
		} else {
			stack[sp].node, stack[sp].d2 = n.left, dl
			stack[sp+1].node, stack[sp+1].d2 = n.right, dr
		}
		sp += 2
	}
	sortNeighbors(h)
	return h
}

// boxDist returns the squared distance from q to the bounding box of node
// ni, stopping early once it exceeds limit.
func (t *kdTree) boxDist(ni int32, q []float64, limit float64) float64 {
	d := t.d
	base := int(ni) * 2 * d
	bmin, bmax := t.bounds[base:base+d], t.bounds[base+d:base+2*d]
	var s float64
	for j, v := range q {
		if v < bmin[j] {
			e := bmin[j] - v
			s += e * e
		} else if v > bmax[j] {
			e := v - bmax[j]
			s += e * e
		}
		if s > limit {
			return s
		}
	}
	return s
}

// dist2Bounded returns the squared distance between a and b and true, or
// false as soon as the partial sum exceeds worst.
func dist2Bounded(a, b []float64, worst float64) (float64, bool) {
	var s float64
	j := 0
	for ; j+4 <= len(a); j += 4 {
		e0 := a[j] - b[j]
		e1 := a[j+1] - b[j+1]
		e2 := a[j+2] - b[j+2]
		e3 := a[j+3] - b[j+3]
		s += e0*e0 + e1*e1 + e2*e2 + e3*e3
		if s > worst {
			return s, false
		}
	}
	for ; j < len(a); j++ {
		e := a[j] - b[j]
		s += e * e
	}
	return s, s <= worst
}

// heapPush adds c to the max-heap h (worst neighbour at h[0]).
func heapPush(h []neighbor, c neighbor) []neighbor {
	h = append(h, c)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[p].before(h[i]) {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
	return h
}

func heapDown(h []neighbor, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[l].before(h[r]) {
			m = r
		}
		if !h[i].before(h[m]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// sortNeighbors sorts the heap h nearest first, in place (heap sort).
func sortNeighbors(h []neighbor) {
	for end := len(h) - 1; end > 0; end-- {
		h[0], h[end] = h[end], h[0]
		heapDown(h[:end], 0)
	}
}

// knnScratch is the neighbour buffer size kept on the stack by single-row
// scoring; larger n_neighbors allocate.
const knnScratch = 64
