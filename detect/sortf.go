package detect

import (
	"math"
	"slices"
)

// radixMin is the length from which sortFloats uses a radix sort.
const radixMin = 2048

// radixBits is the digit width of the radix sort: 6 passes cover 64 bits
// and the 2048 counters stay in L1 cache.
const radixBits = 11

// sortFloats sorts v ascending (NaN-free input). Long slices use an LSD
// radix sort on order-preserving 64-bit keys (O(n), 6 passes of 11 bits,
// one n-sized scratch buffer); -0 sorts before +0.
func sortFloats(v []float64) {
	n := len(v)
	if n < radixMin {
		slices.Sort(v)
		return
	}
	keys := make([]uint64, n)
	tmp := make([]uint64, n)
	for i, f := range v {
		b := math.Float64bits(f)
		keys[i] = b ^ (uint64(int64(b)>>63) | 1<<63)
	}
	const mask = 1<<radixBits - 1
	var count [1 << radixBits]int
	for shift := uint(0); shift < 64; shift += radixBits {
		clear(count[:])
		for _, k := range keys {
			count[(k>>shift)&mask]++
		}
		if count[(keys[0]>>shift)&mask] == n {
			continue // every key has this byte: the pass would not move anything
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, k := range keys {
			b := (k >> shift) & mask
			tmp[count[b]] = k
			count[b]++
		}
		keys, tmp = tmp, keys
	}
	for i, k := range keys {
		// Undo the key transform.
		if k&(1<<63) != 0 {
			v[i] = math.Float64frombits(k ^ 1<<63)
		} else {
			v[i] = math.Float64frombits(^k)
		}
	}
}

// quickselect reorders p so that p[k] is the element that would be at k if p were sorted by
// less (a strict order), with no element after it less than it and none before it greater.
// It runs in linear expected time (median-of-three Hoare partitions).
func quickselect[T any](p []T, k int, less func(a, b T) bool) {
	lo, hi := 0, len(p)-1
	for lo < hi {
		m := lo + (hi-lo)/2
		if less(p[m], p[lo]) {
			p[m], p[lo] = p[lo], p[m]
		}
		if less(p[hi], p[lo]) {
			p[hi], p[lo] = p[lo], p[hi]
		}
		if less(p[hi], p[m]) {
			p[hi], p[m] = p[m], p[hi]
		}
		pivot := p[m]
		i, j := lo, hi
		for i <= j {
			for less(p[i], pivot) {
				i++
			}
			for less(pivot, p[j]) {
				j--
			}
			if i <= j {
				p[i], p[j] = p[j], p[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}
