package tda

import (
	"math/bits"
	"slices"
)

// radixHeap is the working coboundary of a reduction: a monotone priority queue of keys
// with Z/2 coefficients. Keys are pushed in any order but never below the last pivot (a
// reduction's pivot only increases), which lets a radix heap push in O(1): bucket i holds
// the keys whose highest bit differing from the last pivot is bit i-1, and bucket 0 the
// copies of the last pivot. Equal keys meet in bucket 0, where they cancel in pairs.
// Buckets keep their memory between columns and runs.
type radixHeap struct {
	last    uint64
	size    int
	used    uint64       // bit i (i >= 1) is set if bucket i may be non-empty
	buckets [64][]uint64 // keys < 1<<63, so two differ below bit 63
}

// reset empties the heap and allows any key again.
func (h *radixHeap) reset() {
	h.buckets[0] = h.buckets[0][:0]
	for u := h.used; u != 0; u &= u - 1 {
		i := bits.TrailingZeros64(u)
		h.buckets[i] = h.buckets[i][:0]
	}
	h.last, h.size, h.used = 0, 0, 0
}

// pushAll pushes keys, each >= the last pivot.
func (h *radixHeap) pushAll(keys []uint64) {
	last := h.last
	used := h.used
	for _, k := range keys {
		i := bits.Len64(k ^ last)
		h.buckets[i] = append(h.buckets[i], k)
		used |= 1 << i
	}
	h.used = used
	h.size += len(keys)
}

// pivot returns the smallest key that occurs an odd number of times, leaving exactly one
// copy of it, or noKey if every key cancels.
func (h *radixHeap) pivot() uint64 {
	for {
		if b0 := h.buckets[0]; len(b0) > 0 {
			if len(b0)&1 == 1 {
				h.size -= len(b0) - 1
				h.buckets[0] = b0[:1]
				return h.last
			}
			h.size -= len(b0)
			h.buckets[0] = b0[:0]
		}
		u := h.used &^ 1 // bucket 0 is looked at above
		for u != 0 && len(h.buckets[bits.TrailingZeros64(u)]) == 0 {
			u &= u - 1 // emptied by compact
		}
		h.used = u
		if u == 0 {
			return noKey
		}
		// The smallest key of the first non-empty bucket is the next minimum; its keys
		// agree with it above bit i-1, so they all move to lower buckets.
		i := bits.TrailingZeros64(u)
		b := h.buckets[i]
		m := b[0]
		for _, k := range b[1:] {
			if k < m {
				m = k
			}
		}
		h.last = m
		h.buckets[i] = b[:0]
		used := u &^ (1 << i)
		for _, k := range b {
			j := bits.Len64(k ^ m)
			h.buckets[j] = append(h.buckets[j], k)
			used |= 1 << j
		}
		h.used = used
	}
}

// popPivot removes the single copy of the pivot left by pivot.
func (h *radixHeap) popPivot() {
	h.size -= len(h.buckets[0])
	h.buckets[0] = h.buckets[0][:0]
}

// compact cancels equal keys in pairs in every bucket (equal keys share a bucket), so that
// long reductions whose additions mostly cancel do not pile up entries.
func (h *radixHeap) compact() {
	h.size = 0
	for i, b := range h.buckets {
		if len(b) > 1 {
			slices.Sort(b)
			out := b[:0]
			for x := 0; x < len(b); {
				y := x + 1
				for y < len(b) && b[y] == b[x] {
					y++
				}
				if (y-x)&1 == 1 {
					out = append(out, b[x])
				}
				x = y
			}
			h.buckets[i] = out
		}
		h.size += len(h.buckets[i])
	}
}
