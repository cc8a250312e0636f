package detect

import "math/bits"

// NumPy's legacy random stream, as scikit-learn draws from it.
//
// The "sklearn" draws of IsolationForest (see sktree.go) reproduce
// scikit-learn's trees exactly, so they need the same random numbers:
// numpy.random.RandomState (MT19937 seeded by init_genrand) with its legacy
// bounded integers (randint: a masked rejection loop on 32-bit draws) and
// legacy shuffle (random_interval: the same masking, on a closed interval).
// NumPy keeps this stream fixed across releases for reproducibility; the
// golden test compares it with NumPy's own output.

// mtN is the state length of MT19937.
const mtN = 624

// mt19937 is the Mersenne Twister of numpy.random.RandomState.
type mt19937 struct {
	key [mtN]uint32
	pos int
}

// newMT19937 returns the generator of numpy.random.RandomState(seed).
func newMT19937(seed uint32) *mt19937 {
	m := &mt19937{pos: mtN}
	for i := range m.key {
		m.key[i] = seed
		seed = 1812433253*(seed^(seed>>30)) + uint32(i) + 1
	}
	return m
}

// next32 returns the next 32 random bits (genrand_int32).
func (m *mt19937) next32() uint32 {
	const (
		mm    = 397
		upper = 0x80000000
		lower = 0x7fffffff
		matA  = 0x9908b0df
	)
	if m.pos == mtN {
		k := &m.key
		for i := 0; i < mtN; i++ {
			y := k[i]&upper | k[(i+1)%mtN]&lower
			v := k[(i+mm)%mtN] ^ y>>1
			if y&1 != 0 {
				v ^= matA
			}
			k[i] = v
		}
		m.pos = 0
	}
	y := m.key[m.pos]
	m.pos++
	y ^= y >> 11
	y ^= y << 7 & 0x9d2c5680
	y ^= y << 15 & 0xefc60000
	return y ^ y>>18
}

// mask32 returns the smallest all-ones mask >= v.
func mask32(v uint32) uint32 {
	v |= v >> 1
	v |= v >> 2
	v |= v >> 4
	v |= v >> 8
	v |= v >> 16
	return v
}

// bounded returns a uniform integer in [0, rng] as NumPy's legacy generator
// draws it: 32-bit draws masked to the smallest covering mask, rejected while
// above rng. rng 0 consumes no draw.
func (m *mt19937) bounded(rng uint32) uint32 {
	switch rng {
	case 0:
		return 0
	case 0xffffffff:
		return m.next32()
	}
	mask := mask32(rng)
	for {
		if v := m.next32() & mask; v <= rng {
			return v
		}
	}
}

// randint is RandomState.randint(high): a uniform integer in [0, high), for
// 1 <= high <= 2^32.
func (m *mt19937) randint(high uint64) uint64 { return uint64(m.bounded(uint32(high - 1))) }

// permutation is RandomState.permutation(n): 0..n-1 shuffled by the legacy
// Fisher-Yates loop (for i from n-1 down to 1, swap i with random_interval(i)).
// n must be below 2^32.
func (m *mt19937) permutation(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := m.bounded(uint32(i))
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// sampleWithoutReplacement is scikit-learn's sample_without_replacement(
// nPop, nSamples, method="auto") on m: a permutation's prefix when
// 0.01 < nSamples/nPop < 0.99; else tracking selection when the ratio is below
// 0.2 (draw randint(nPop) until unseen, nSamples times, in the order drawn);
// else reservoir sampling (0..nSamples-1, then for each later i, j =
// randint(i+1) replaces slot j when j < nSamples), which draws nothing when
// nSamples == nPop.
func (m *mt19937) sampleWithoutReplacement(nPop, nSamples int) []int {
	ratio := 1.0
	if nPop != 0 {
		ratio = float64(nSamples) / float64(nPop)
	}
	out := make([]int, nSamples)
	switch {
	case ratio > 0.01 && ratio < 0.99:
		return m.permutation(nPop)[:nSamples]
	case ratio < 0.2:
		seen := make(map[int]struct{}, nSamples)
		for i := range out {
			j := int(m.randint(uint64(nPop)))
			for {
				if _, dup := seen[j]; !dup {
					break
				}
				j = int(m.randint(uint64(nPop)))
			}
			seen[j] = struct{}{}
			out[i] = j
		}
	default:
		for i := range out {
			out[i] = i
		}
		for i := nSamples; i < nPop; i++ {
			if j := int(m.randint(uint64(i + 1))); j < nSamples {
				out[j] = i
			}
		}
	}
	return out
}

// argsortNumPy returns the permutation numpy.argsort(v) (kind "quicksort",
// NumPy 1.24's scalar introsort: median-of-three quicksort down to 16
// elements, then insertion sort; heapsort past 2·log2(n) levels). It is not
// stable: equal values come out in the order this algorithm leaves them,
// which FastMCD's choice among equal determinants (often -Inf) depends on.
// NaNs sort last.
func argsortNumPy(v []float64) []int {
	const smallQuicksort = 15
	less := func(a, b float64) bool { return a < b || (b != b && a == a) }
	n := len(v)
	t := make([]int, n)
	for i := range t {
		t[i] = i
	}
	if n < 2 {
		return t
	}
	type frame struct{ l, r, depth int }
	var stack []frame
	pl, pr := 0, n-1
	cdepth := 2 * (bits.Len(uint(n)) - 1)
	for {
		if cdepth < 0 {
			heapsortIdx(v, t[pl:pr+1], less)
		} else {
			for pr-pl > smallQuicksort {
				pm := pl + (pr-pl)>>1
				if less(v[t[pm]], v[t[pl]]) {
					t[pm], t[pl] = t[pl], t[pm]
				}
				if less(v[t[pr]], v[t[pm]]) {
					t[pr], t[pm] = t[pm], t[pr]
				}
				if less(v[t[pm]], v[t[pl]]) {
					t[pm], t[pl] = t[pl], t[pm]
				}
				vp := v[t[pm]]
				pi, pj := pl, pr-1
				t[pm], t[pj] = t[pj], t[pm]
				for {
					for pi++; less(v[t[pi]], vp); pi++ {
					}
					for pj--; less(vp, v[t[pj]]); pj-- {
					}
					if pi >= pj {
						break
					}
					t[pi], t[pj] = t[pj], t[pi]
				}
				t[pi], t[pr-1] = t[pr-1], t[pi]
				cdepth--
				if pi-pl < pr-pi { // push the larger part, go on with the smaller
					stack = append(stack, frame{pi + 1, pr, cdepth})
					pr = pi - 1
				} else {
					stack = append(stack, frame{pl, pi - 1, cdepth})
					pl = pi + 1
				}
			}
			for pi := pl + 1; pi <= pr; pi++ { // insertion sort
				vi := t[pi]
				vp := v[vi]
				pj := pi
				for pj > pl && less(vp, v[t[pj-1]]) {
					t[pj] = t[pj-1]
					pj--
				}
				t[pj] = vi
			}
		}
		if len(stack) == 0 {
			return t
		}
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		pl, pr, cdepth = f.l, f.r, f.depth
	}
}

// heapsortIdx sorts the indices a by v[a[i]] as NumPy's aheapsort does.
func heapsortIdx(v []float64, a []int, less func(a, b float64) bool) {
	n := len(a)
	for l := n >> 1; l > 0; l-- {
		siftDown(v, a, less, l, n, a[l-1])
	}
	for ; n > 1; n-- {
		tmp := a[n-1]
		a[n-1] = a[0]
		siftDown(v, a, less, 1, n-1, tmp)
	}
}

// siftDown places tmp in the heap a[:n] from 1-based position i down, as
// the inner loop of NumPy's aheapsort.
func siftDown(v []float64, a []int, less func(a, b float64) bool, i, n, tmp int) {
	for j := i << 1; j <= n; j += j {
		if j < n && less(v[a[j-1]], v[a[j]]) {
			j++
		}
		if !less(v[tmp], v[a[j-1]]) {
			break
		}
		a[i-1] = a[j-1]
		i = j
	}
	a[i-1] = tmp
}
