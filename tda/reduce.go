package tda

import (
	"math"
	"math/bits"
	"slices"
)

// reduce runs the cohomology reduction of the k-simplices cols (k = 1 or 2), given in
// reverse filtration order, with implicit coboundaries (Bauer 2021, section 3):
//
//   - the coboundary of a column is enumerated from the rank matrix when needed, never
//     stored; only the reduction matrix V (which simplices were added) is kept;
//   - if the smallest key of a fresh coboundary is nobody's pivot, the column is already
//     reduced and no heap is built (emergent pair, generalised to any rank);
//   - a pivot that is the oldest cofacet of its youngest facet f (apparent pair) is
//     eliminated by adding the coboundary of f, which was never a column.
//
// Pivots are recorded in e.piv (key -> column index) for the clearing of dimension k+1.
func (e *engine) reduce(k int, cols []uint64) {
	e.piv.reset(len(cols))
	e.vflat = e.vflat[:0]
	e.vstart = append(e.vstart[:0], 0)
	out := e.bars[k]
	for ci, ck := range cols {
		birth := e.val[e.rankOf(ck)]
		var p uint64
		e.scratch, p = e.coboundary(e.scratch[:0], ck, k, 0, noKey)
		if p != noKey && !e.isFree(p, k) {
			// Work on the entries up to a cutoff: the pivot only increases during the
			// reduction and is usually close to the column's rank, so most of the
			// coboundary never matters. reduceColumn restarts without the cutoff if the
			// truncated column empties.
			r := int64(e.rankOf(ck))
			cut := min(r+(int64(len(e.val))-r)*3/8+16, int64(len(e.val))-1)
			limit := uint64(cut)<<e.ib | e.imask
			kept := e.scratch[:0]
			for _, x := range e.scratch {
				if x <= limit {
					kept = append(kept, x)
				}
			}
			e.heap.reset()
			e.heap.pushAll(kept)
			e.compactAt = max(2*len(kept), compactBase*e.n)
			e.vwork = append(e.vwork[:0], ck)
			p = e.reduceColumn(cols, k, limit)
		}
		switch {
		case p == noKey:
			out = append(out, Bar{birth, math.Inf(1)})
		default:
			if death := e.val[e.rankOf(p)]; death > birth {
				out = append(out, Bar{birth, death})
			}
			e.piv.put(p, int32(ci))
		}
		e.vstart = append(e.vstart, int32(len(e.vflat)))
	}
	e.bars[k] = out
}

// compactBase*n is the smallest working coboundary that is compacted: below it, sorting
// costs more than the cancelled entries keep.
const compactBase = 256

// reduceColumn adds earlier columns to the working coboundary e.heap until its pivot is
// new, and returns that pivot (noKey if the column reduces to zero). When a pivot is found
// the working reduction column, less the column itself (e.vwork[0]), is appended to vflat.
//
// Only keys <= limit are pushed; if that truncated column cancels out, the heap is
// rebuilt from every simplex added so far without the limit.
func (e *engine) reduceColumn(cols []uint64, k int, limit uint64) uint64 {
	for {
		p := e.heap.pivot()
		if p == noKey && limit != noKey {
			// The truncated column emptied: continue with whole coboundaries.
			limit = noKey
			e.heap.reset()
			for _, s := range e.vwork {
				e.pushCoboundary(s, k, 0, noKey)
			}
			continue
		}
		if p == noKey {
			return noKey
		}
		// The column added next has pivot p: its keys below p cancel among themselves and
		// its p cancels ours, so only its keys above p are pushed, and p is popped.
		if c, ok := e.piv.get(p); ok {
			e.heap.popPivot()
			e.vwork = append(e.vwork, cols[c])
			e.pushCoboundary(cols[c], k, p, limit)
			for _, s := range e.vflat[e.vstart[c]:e.vstart[c+1]] {
				e.vwork = append(e.vwork, s)
				e.pushCoboundary(s, k, p, limit)
			}
			continue
		}
		if f := e.apparentFacet(p, k); f != noKey {
			e.heap.popPivot()
			e.vwork = append(e.vwork, f)
			e.pushCoboundary(f, k, p, limit)
			continue
		}
		// Store V mod 2: sort and drop the simplices that appear an even number of times.
		v := e.vwork[1:]
		slices.Sort(v)
		for i := 0; i < len(v); {
			j := i + 1
			for j < len(v) && v[j] == v[i] {
				j++
			}
			if (j-i)&1 == 1 {
				e.vflat = append(e.vflat, v[i])
			}
			i = j
		}
		return p
	}
}

// isFree reports whether the (k+1)-simplex p can be a new pivot: it is no column's pivot
// and not the cofacet of an apparent pair.
func (e *engine) isFree(p uint64, k int) bool {
	if _, ok := e.piv.get(p); ok {
		return false
	}
	return e.apparentFacet(p, k) == noKey
}

// apparentFacet returns the k-simplex f such that (f, p) is an apparent pair, or noKey.
// f is p's youngest facet: it contains p's longest edge {x, y} (rank r) and, of p's other
// vertices, the smallest w. The pair is apparent when p is f's oldest cofacet, i.e. no
// vertex j above p's remaining vertex makes a cofacet f+j of rank r.
func (e *engine) apparentFacet(p uint64, k int) uint64 {
	r := e.rankOf(p)
	x, y := endpoints(e.ends[r])
	if k == 1 {
		// The edge {x, y} has one apparent cofacet, {x, y, appJ[r]}: compare indices.
		j := int(e.appJ[r])
		if j < 0 || e.triIndex(x, y, j) != e.indexOf(p) {
			return noKey
		}
		return e.key(r, e.binom[2][x]+int64(y))
	}
	vs := e.vertices(e.indexOf(p), k+1)
	w, hi := -1, -1
	for _, v := range vs {
		if int(v) == x || int(v) == y {
			continue
		}
		if w < 0 {
			hi = int(v) // vertices are decreasing: the first other one is the larger
			w = hi
		} else {
			w = int(v)
		}
	}
	n, nw := e.n, e.words
	rx, ry, rw := e.rk[x*n:x*n+n], e.rk[y*n:y*n+n], e.rk[w*n:w*n+n]
	ax, ay, aw := e.adj[x*nw:x*nw+nw], e.adj[y*nw:y*nw+nw], e.adj[w*nw:w*nw+nw]
	for wi := nw - 1; wi >= (hi+1)>>6; wi-- {
		m := ax[wi] & ay[wi] & aw[wi]
		if wi == (hi+1)>>6 {
			m &= ^uint64(0) << ((hi + 1) & 63) // vertices above hi only
		}
		for m != 0 {
			j := wi<<6 | bits.TrailingZeros64(m)
			m &= m - 1
			if rx[j] < r && ry[j] < r && rw[j] < r {
				return noKey
			}
		}
	}
	return e.key(r, e.triIndex(x, y, w))
}

// coboundary appends the keys in (floor, limit] of the cofacets of the k-simplex s that
// are in the complex to dst, and returns dst and the smallest key of all (the pivot),
// noKey if there is none.
func (e *engine) coboundary(dst []uint64, s uint64, k int, floor, limit uint64) ([]uint64, uint64) {
	r := e.rankOf(s)
	// The state lives in e: a fresh cobound literal would be zeroed on every call.
	c := &e.cb
	c.dst, c.min, c.r, c.floor, c.limit, c.ib, c.imask = slices.Grow(dst, e.n), noKey, r, floor, limit, e.ib, e.imask
	if k == 1 {
		a, b := endpoints(e.ends[r])
		e.edgeCoboundary(c, a, b)
	} else {
		vs := e.vertices(e.indexOf(s), 2)
		e.triangleCoboundary(c, int(vs[0]), int(vs[1]), int(vs[2]))
	}
	dst = c.dst
	c.dst = nil
	return dst, c.min
}

// pushCoboundary pushes the keys in (floor, limit] of the coboundary of s onto the heap.
func (e *engine) pushCoboundary(s uint64, k int, floor, limit uint64) {
	e.scratch, _ = e.coboundary(e.scratch[:0], s, k, floor, limit)
	e.heap.pushAll(e.scratch)
	if e.heap.size > e.compactAt {
		before := e.heap.size
		e.heap.compact()
		e.compactAt = max(2*e.heap.size, compactBase*e.n)
		if e.heap.size > before*3/4 {
			e.compactAt = math.MaxInt // little cancels in this column: stop sorting
		}
	}
}

// edgeCoboundary enumerates the triangles {a, b, j}, a > b, over the common neighbours j.
// The index of {a, b, j} is base + C(j, t) with (t, base) fixed on each of the ranges
// j > a, a > j > b and j < b, which are enumerated separately.
func (e *engine) edgeCoboundary(c *cobound, a, b int) {
	n, w := e.n, e.words
	c.ra, c.rb = e.rk[a*n:a*n+n], e.rk[b*n:b*n+n]
	c.aa, c.ab = e.adj[a*w:a*w+w], e.adj[b*w:b*w+w]
	b3, b2 := e.binom[3], e.binom[2]
	c.edgeRange(a+1, n, b3, b2[a]+int64(b))
	c.edgeRange(b+1, a, b2, b3[a]+int64(b))
	c.edgeRange(0, b, e.binom[1], b3[a]+b2[b])
}

// triangleCoboundary enumerates the tetrahedra {a, b, c, j}, a > b > c, over the common
// neighbours j, range by range as edgeCoboundary does.
func (e *engine) triangleCoboundary(cb *cobound, a, b, c int) {
	n, w := e.n, e.words
	cb.ra, cb.rb, cb.rc = e.rk[a*n:a*n+n], e.rk[b*n:b*n+n], e.rk[c*n:c*n+n]
	cb.aa, cb.ab, cb.ac = e.adj[a*w:a*w+w], e.adj[b*w:b*w+w], e.adj[c*w:c*w+w]
	b4, b3, b2 := e.binom[4], e.binom[3], e.binom[2]
	cb.triangleRange(a+1, n, b4, b3[a]+b2[b]+int64(c))
	cb.triangleRange(b+1, a, b3, b4[a]+b2[b]+int64(c))
	cb.triangleRange(c+1, b, b2, b4[a]+b3[b]+int64(c))
	cb.triangleRange(0, c, e.binom[1], b4[a]+b3[b]+b2[c])
}

// cobound is the state of one coboundary enumeration.
type cobound struct {
	dst               []uint64
	min, floor, limit uint64
	r                 int32
	ib                uint
	imask             uint64
	ra, rb, rc        []int32
	aa, ab, ac        []uint64
}

// edgeRange enumerates the common neighbours j in [lo, hi) of an edge's vertices.
func (c *cobound) edgeRange(lo, hi int, row []int64, base int64) {
	if lo >= hi {
		return
	}
	// Locals, not c's fields, in the loop: the compiler keeps them in registers. Every key
	// is written and kept only if in (floor, limit], without a branch: about half of them
	// are below floor, in no predictable pattern. dst has room for one per vertex.
	ra, rb, aa, ab := c.ra, c.rb, c.aa, c.ab
	mn, r, floor, ib, imask := c.min, c.r, c.floor, c.ib, c.imask
	span := c.span()
	buf, k := c.dst[:cap(c.dst)], len(c.dst)
	for wi := lo >> 6; wi <= (hi-1)>>6; wi++ {
		x := aa[wi] & ab[wi] & rangeMask(wi, lo, hi)
		for x != 0 {
			j := wi<<6 | bits.TrailingZeros64(x)
			x &= x - 1
			rr := max(r, ra[j], rb[j])
			key := uint64(rr)<<ib | (imask - uint64(base+row[j]))
			buf[k] = key
			_, in := bits.Sub64(key-floor-1, span, 0) // 1 iff floor < key <= limit
			k += int(in)
			mn = minKey(mn, key)
		}
	}
	c.dst, c.min = buf[:k], mn
}

// span returns limit-floor, 0 if limit < floor: key is in (floor, limit] if and only if
// key-floor-1 < span as unsigned numbers.
func (c *cobound) span() uint64 {
	if c.limit < c.floor {
		return 0
	}
	return c.limit - c.floor
}

// triangleRange enumerates the common neighbours j in [lo, hi) of a triangle's vertices.
func (c *cobound) triangleRange(lo, hi int, row []int64, base int64) {
	if lo >= hi {
		return
	}
	ra, rb, rc, aa, ab, ac := c.ra, c.rb, c.rc, c.aa, c.ab, c.ac
	for wi := lo >> 6; wi <= (hi-1)>>6; wi++ {
		x := aa[wi] & ab[wi] & ac[wi] & rangeMask(wi, lo, hi)
		for x != 0 {
			j := wi<<6 | bits.TrailingZeros64(x)
			x &= x - 1
			rr := max(c.r, ra[j], rb[j], rc[j])
			c.add(uint64(rr)<<c.ib | (c.imask - uint64(base+row[j])))
		}
	}
}

func (c *cobound) add(key uint64) {
	if key > c.floor && key <= c.limit {
		c.dst = append(c.dst, key)
	}
	if key < c.min {
		c.min = key
	}
}

// rangeMask returns the bits of word wi that lie in [lo, hi).
func rangeMask(wi, lo, hi int) uint64 {
	m := ^uint64(0)
	if base := wi << 6; lo > base {
		m <<= uint(lo - base)
	}
	if top := wi<<6 + 64; hi < top {
		m &= ^uint64(0) >> uint(top-hi)
	}
	return m
}

func minKey(a, b uint64) uint64 {
	if b < a {
		return b
	}
	return a
}

// pivotMap is an open-addressing hash map from pivot keys to column indices. Its slots
// are reused between runs.
type pivotMap struct {
	keys  []uint64
	vals  []int32
	shift uint
}

// reset empties the map and sizes it for at most n entries.
func (m *pivotMap) reset(n int) {
	lg := max(bits.Len(uint(2*n)), 4)
	size := 1 << lg
	m.keys = grow(m.keys, size)
	m.vals = grow(m.vals, size)
	for i := range m.keys {
		m.keys[i] = noKey
	}
	m.shift = uint(64 - lg)
}

func (m *pivotMap) slot(k uint64) int { return int((k * 0x9E3779B97F4A7C15) >> m.shift) }

func (m *pivotMap) get(k uint64) (int32, bool) {
	mask := len(m.keys) - 1
	for i := m.slot(k); ; i = (i + 1) & mask {
		switch m.keys[i] {
		case k:
			return m.vals[i], true
		case noKey:
			return 0, false
		}
	}
}

func (m *pivotMap) put(k uint64, v int32) {
	mask := len(m.keys) - 1
	i := m.slot(k)
	for m.keys[i] != noKey && m.keys[i] != k {
		i = (i + 1) & mask
	}
	m.keys[i], m.vals[i] = k, v
}
