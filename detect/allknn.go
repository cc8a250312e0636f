package detect

import "math"

// bruteMinDims is the dimension from which the all-rows neighbour search of
// LOF and KNN training uses blocked brute force instead of the KD-tree,
// whose box pruning stops paying off in high dimensions.
const bruteMinDims = 16

// allBlock bounds the rows whose neighbour heaps are filled together, so
// that they stay in cache while every later row streams past them.
const allBlock = 32

// allKNN returns, for every training row, its k nearest other rows, nearest
// first, in out[i*k:(i+1)*k] (squared distances). Each pair is measured once
// with dist2Bounded's summation order, so distances, ties (by index) and the
// neighbour sets equal those of kdTree.knn. It uses O(n·k) memory.
func allKNN(x []float64, n, d, k int) []neighbor {
	out := make([]neighbor, n*k)
	size := make([]int, n)
	push := func(i int, c neighbor) {
		h := out[i*k : i*k+size[i]]
		if size[i] < k {
			heapPush(h, c)
			size[i]++
			return
		}
		if c.before(h[0]) {
			h[0] = c
			heapDown(h, 0)
		}
	}
	worst := func(i int) float64 {
		if size[i] < k {
			return math.Inf(1)
		}
		return out[i*k].d2
	}
	for b0 := 0; b0 < n; b0 += allBlock {
		b1 := min(b0+allBlock, n)
		for j := b0 + 1; j < n; j++ {
			pj := x[j*d : (j+1)*d]
			wj := worst(j)
			for i := b0; i < min(b1, j); i++ {
				d2, ok := dist2Bounded(x[i*d:(i+1)*d], pj, max(worst(i), wj))
				if !ok {
					continue
				}
				push(i, neighbor{d2, int32(j)})
				push(j, neighbor{d2, int32(i)})
				wj = worst(j)
			}
		}
	}
	for i := 0; i < n; i++ {
		sortNeighbors(out[i*k : (i+1)*k])
	}
	return out
}

// trainingNeighbors returns the k nearest other rows of every training row
// (see allKNN): by blocked brute force from bruteMinDims dimensions, else by
// one KD-tree query per row.
func trainingNeighbors(t *kdTree, x []float64, n, d, k int) []neighbor {
	if k <= 0 {
		return nil
	}
	if d >= bruteMinDims {
		return allKNN(x, n, d, k)
	}
	out := make([]neighbor, n*k)
	for i := 0; i < n; i++ {
		t.knn(x[i*d:(i+1)*d], k, int32(i), out[i*k:i*k])
	}
	return out
}
