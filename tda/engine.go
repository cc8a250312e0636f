package tda

import (
	"fmt"
	"math"
	"math/bits"
)

// noKey stands for "no simplex" where a key is expected. Real keys never set the top bit.
const noKey = math.MaxUint64

// maxVertices bounds the number of points: an edge is carried as two 16-bit vertex ids.
const maxVertices = 1 << 16

// engine computes the barcode of a Vietoris–Rips filtration given its edges in filtration
// order. It is the part shared by Workspace and SlidingWindow, and it owns every buffer of
// the computation so that repeated runs do not allocate once the buffers have grown.
//
// Edges are numbered by rank: the edge of rank r is the r-th shortest (ties broken by the
// caller), so ranks refine the filtration by length into a total order. A simplex enters at
// the rank of its longest edge; simplices of equal rank are ordered by dimension, then by
// decreasing combinatorial index (Ripser's order). Any such refinement gives the same bars
// once ranks are mapped back to lengths and zero-length bars dropped.
//
// A simplex is carried as a 64-bit key: rank<<ib | (imask-index), so that smaller keys come
// earlier in the filtration and the smallest key of a coboundary is its pivot.
type engine struct {
	n, words, maxDim int

	val  []float64 // val[r]: length of the edge of rank r
	ends []uint32  // endpoints a<<16 | b of the edge of rank r, a > b

	rk     []int32  // n*n: rank of edge {i, j}; stale unless the edge is in adj (MaxDim >= 1)
	low    []uint64 // n*words bitsets: neighbours by edges of rank below the current one
	adj    []uint64 // n*words bitsets: neighbours within the threshold; low once firstPass is done
	parent []int32  // union–find forest for H0
	appJ   []int32  // per edge rank: third vertex of its apparent cofacet, -1 if none

	binom  [MaxHomologyDim + 3][]int64 // binom[k][v] = C(v, k) for v <= binomN
	binomN int
	ib     uint   // bits of the index part of a key
	imask  uint64 // 1<<ib - 1

	cols, tris   []uint64  // columns to reduce in dimension 1; candidate columns in dimension 2
	scratch      []uint64  // one enumerated coboundary
	heap         radixHeap // working coboundary
	compactAt    int       // heap size that triggers a compaction
	vwork, vflat []uint64  // working reduction column; stored reduction columns, flattened
	vstart       []int32   // column i of the reduction matrix is vflat[vstart[i]:vstart[i+1]]
	piv          pivotMap  // pivot key -> column index
	cb           cobound   // state of the coboundary being enumerated
	verts        [MaxHomologyDim + 2]int32

	bars [MaxHomologyDim + 1][]Bar
	diag Diagram
}

// key packs a rank and a combinatorial index.
func (e *engine) key(r int32, idx int64) uint64 {
	return uint64(r)<<e.ib | (e.imask - uint64(idx))
}

func (e *engine) rankOf(k uint64) int32 { return int32(k >> e.ib) }

func (e *engine) indexOf(k uint64) int64 { return int64(e.imask - k&e.imask) }

// run computes the diagram of the complex on n vertices whose edges within the threshold
// are {ends[r]>>16, ends[r]&0xffff} with length val[r], r in rank order. The result
// aliases e's buffers.
func (e *engine) run(n, maxDim int, val []float64, ends []uint32) (Diagram, error) {
	if n > maxVertices {
		return nil, fmt.Errorf("%d points, at most %d: %w", n, maxVertices, ErrTooManyPoints)
	}
	e.n, e.maxDim = n, maxDim
	e.val, e.ends = val, ends[:len(val)]
	if err := e.setKeys(); err != nil {
		return nil, err
	}
	for k := range e.bars {
		e.bars[k] = e.bars[k][:0]
	}
	e.firstPass()
	if maxDim >= 1 {
		// Columns were found in increasing rank; reduce them in reverse filtration order.
		reverse(e.cols)
		e.reduce(1, e.cols)
	}
	if maxDim >= 2 {
		// Clearing: a triangle that is the pivot of an H1 column has a zero column.
		kept := e.tris[:0]
		for _, t := range e.tris {
			if _, ok := e.piv.get(t); !ok {
				kept = append(kept, t)
			}
		}
		e.tris = kept
		reverse(e.tris)
		e.reduce(2, e.tris)
	}
	e.diag = e.diag[:0]
	for k := 0; k <= maxDim; k++ {
		sortBars(e.bars[k])
		e.diag = append(e.diag, e.bars[k])
	}
	return e.diag, nil
}

// setKeys fills the binomial table and the key layout, checking that keys fit in 63 bits.
func (e *engine) setKeys() error {
	n := e.n
	if e.binomN != n || e.binom[0] == nil {
		for k := range e.binom {
			b := grow(e.binom[k], n+1)
			for v := range b {
				b[v] = binomial(v, k)
			}
			e.binom[k] = b
		}
		e.binomN = n
	}
	ib, ok := keyBits(n, e.maxDim, len(e.val))
	if !ok {
		return fmt.Errorf("%d points with max dimension %d: %w", n, e.maxDim, ErrTooManyPoints)
	}
	e.ib = ib
	e.imask = 1<<e.ib - 1
	return nil
}

// keyBits returns the number of index bits of a key for n points and maxDim, and whether
// keys with ranks below edges fit in 63 bits.
func keyBits(n, maxDim, edges int) (uint, bool) {
	var maxIdx uint64 // largest number of simplices of one dimension, up to maxDim+1
	for k := 2; k <= maxDim+2; k++ {
		maxIdx = max(maxIdx, uint64(binomial(n, k)))
	}
	ib := uint(max(bits.Len64(maxIdx), 1))
	return ib, ib+uint(bits.Len(uint(edges))) <= 63
}

// binomial returns C(v, k) for k <= 4 without overflow for v < 1<<16.
func binomial(v, k int) int64 {
	if k > v {
		return 0
	}
	r := int64(1)
	for i := 0; i < k; i++ {
		r = r * int64(v-i) / int64(i+1)
	}
	return r
}

// endpoints decodes a packed edge a<<16 | b.
func endpoints(x uint32) (a, b int) { return int(x >> 16), int(x & 0xffff) }

// firstPass walks the edges in rank order once. It computes H0 by union–find (Kruskal),
// and finds the apparent pairs of edges and triangles with the bitsets of lower neighbours:
// when edge e = {a, b} of rank r is reached, low[a] & low[b] holds exactly the vertices j
// for which the triangle {a, b, j} has rank r. If there is one, e is the youngest facet of
// the triangle with the largest such j, which is e's oldest cofacet: an apparent pair of
// zero persistence, so e is not a column (nor does it merge components: j joins a and b
// already). Otherwise, if e does not merge two components, e is a column of dimension 1.
// For H2 the triangles of rank r are treated alike.
//
// With MaxDim >= 1 it also fills the rank matrix, and leaves low holding every edge: the
// adjacency bitsets that the reduction enumerates coboundaries with.
func (e *engine) firstPass() {
	n := e.n
	w := (n + 63) >> 6
	e.words = w
	e.parent = grow(e.parent, n)
	for i := range e.parent {
		e.parent[i] = int32(i)
	}
	e.cols = e.cols[:0]
	e.tris = e.tris[:0]
	h0 := e.bars[0]
	components := n
	if e.maxDim == 0 {
		// H0 only: union–find until the complex is connected; no matrix is needed.
		for r := 0; r < len(e.val) && components > 1; r++ {
			a, b := endpoints(e.ends[r])
			if ra, rb := e.find(a), e.find(b); ra != rb {
				e.parent[ra] = int32(rb)
				components--
				if e.val[r] > 0 {
					h0 = append(h0, Bar{0, e.val[r]})
				}
			}
		}
	} else {
		e.rk = grow(e.rk, n*n)
		e.appJ = grow(e.appJ, len(e.val))
		e.low = grow(e.low, n*w)
		clear(e.low)
		if e.maxDim == 1 && w == 1 {
			h0, components = e.firstPassWord(h0)
		} else {
			h0, components = e.firstPassWide(h0)
		}
		e.adj = e.low
	}
	for range components {
		h0 = append(h0, Bar{0, math.Inf(1)})
	}
	e.bars[0] = h0
}

// firstPassWord is firstPass for H0 and H1 on up to 64 points (a streaming window): one
// word per bitset. It returns the finite H0 bars appended to h0 and the number of
// components left.
func (e *engine) firstPassWord(h0 []Bar) ([]Bar, int) {
	n := e.n
	components := n
	low, rk, parent := e.low[:n], e.rk[:n*n], e.parent[:n]
	val := e.val
	ends, appJ := e.ends[:len(val)], e.appJ[:len(val)]
	b2 := e.binom[2][:n]
	for r, x := range ends {
		a, b := endpoints(x)
		rk[a*n+b], rk[b*n+a] = int32(r), int32(r)
		la, lb := low[a], low[b]
		low[a], low[b] = la|1<<b, lb|1<<a
		if m := la & lb; m != 0 {
			appJ[r] = int32(63 - bits.LeadingZeros64(m))
			continue
		}
		appJ[r] = -1
		if components > 1 {
			ra, rb := int32(a), int32(b)
			for parent[ra] != ra {
				parent[ra] = parent[parent[ra]]
				ra = parent[ra]
			}
			for parent[rb] != rb {
				parent[rb] = parent[parent[rb]]
				rb = parent[rb]
			}
			if ra != rb {
				parent[ra] = rb
				components--
				if val[r] > 0 {
					h0 = append(h0, Bar{0, val[r]})
				}
				continue
			}
		}
		e.cols = append(e.cols, e.key(int32(r), b2[a]+int64(b)))
	}
	return h0, components
}

// firstPassWide is firstPass for any number of points and MaxDim >= 1.
func (e *engine) firstPassWide(h0 []Bar) ([]Bar, int) {
	n, w := e.n, e.words
	components := n
	rk := e.rk
	r := 0
	// H0: union–find until the complex is connected; after that no edge merges.
	for ; r < len(e.val) && components > 1; r++ {
		a, b := endpoints(e.ends[r])
		rk[a*n+b], rk[b*n+a] = int32(r), int32(r)
		e.appJ[r] = -1
		if ra, rb := e.find(a), e.find(b); ra != rb {
			e.parent[ra] = int32(rb)
			components--
			if e.val[r] > 0 {
				h0 = append(h0, Bar{0, e.val[r]})
			}
		} else {
			e.apparentEdge(int32(r), a, b)
		}
		e.low[a*w+b>>6] |= 1 << (b & 63)
		e.low[b*w+a>>6] |= 1 << (a & 63)
	}
	for ; r < len(e.val); r++ {
		a, b := endpoints(e.ends[r])
		rk[a*n+b], rk[b*n+a] = int32(r), int32(r)
		e.apparentEdge(int32(r), a, b)
		e.low[a*w+b>>6] |= 1 << (b & 63)
		e.low[b*w+a>>6] |= 1 << (a & 63)
	}
	return h0, components
}

// apparentEdge classifies the non-merging edge {a, b} of rank r (see firstPass).
func (e *engine) apparentEdge(r int32, a, b int) {
	w := e.words
	la, lb := e.low[a*w:a*w+w], e.low[b*w:b*w+w]
	j := highestAnd2(la, lb)
	e.appJ[r] = int32(j)
	if j < 0 {
		e.cols = append(e.cols, e.key(r, e.binom[2][a]+int64(b)))
		return
	}
	if e.maxDim < 2 {
		return
	}
	// Triangles {a, b, c} of rank r. The one with c == j is paired with e. Another one is
	// the youngest facet of its oldest cofacet {a, b, c, j3} (j3 the largest common lower
	// neighbour of a, b, c) when c < j3: apparent again. The rest are candidate columns,
	// collected in decreasing c so that the reversed list increases in index within a rank.
	for wi := w - 1; wi >= 0; wi-- {
		x := la[wi] & lb[wi]
		for x != 0 {
			hb := 63 - bits.LeadingZeros64(x)
			x &^= 1 << hb
			c := wi<<6 | hb
			if c == j {
				continue
			}
			lc := e.low[c*w : c*w+w]
			if j3 := highestAnd3(la, lb, lc); j3 >= 0 && c < j3 {
				continue
			}
			e.tris = append(e.tris, e.key(r, e.triIndex(a, b, c)))
		}
	}
}

// find returns the root of v's component, halving paths on the way.
func (e *engine) find(v int) int {
	p := e.parent
	for int(p[v]) != v {
		p[v] = p[p[v]]
		v = int(p[v])
	}
	return v
}

// triIndex returns the combinatorial index of the triangle {a, b, c}, a > b.
func (e *engine) triIndex(a, b, c int) int64 {
	b3, b2 := e.binom[3], e.binom[2]
	switch {
	case c > a:
		return b3[c] + b2[a] + int64(b)
	case c > b:
		return b3[a] + b2[c] + int64(b)
	default:
		return b3[a] + b2[b] + int64(c)
	}
}

// vertices decodes the k+1 vertices of the k-simplex with index idx into e.verts, in
// decreasing order, and returns them.
func (e *engine) vertices(idx int64, k int) []int32 {
	top := e.n
	vs := e.verts[:k+1]
	for i := k + 1; i >= 1; i-- {
		bt := e.binom[i]
		// Largest v < top with C(v, i) <= idx; C(i-1, i) = 0 so v >= i-1.
		lo, hi := i-1, top-1
		for lo < hi {
			mid := int(uint(lo+hi+1) >> 1)
			if bt[mid] <= idx {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		vs[k+1-i] = int32(lo)
		idx -= bt[lo]
		top = lo
	}
	return vs
}

// highestAnd2 returns the highest bit set in both bitsets, or -1.
func highestAnd2(x, y []uint64) int {
	y = y[:len(x)]
	for i := len(x) - 1; i >= 0; i-- {
		if v := x[i] & y[i]; v != 0 {
			return i<<6 | (63 - bits.LeadingZeros64(v))
		}
	}
	return -1
}

// highestAnd3 returns the highest bit set in all three bitsets, or -1.
func highestAnd3(x, y, z []uint64) int {
	y, z = y[:len(x)], z[:len(x)]
	for i := len(x) - 1; i >= 0; i-- {
		if v := x[i] & y[i] & z[i]; v != 0 {
			return i<<6 | (63 - bits.LeadingZeros64(v))
		}
	}
	return -1
}

// grow returns s resized to n elements, reallocating only when its capacity is too small.
// The contents are not preserved.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}

func reverse(s []uint64) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}
