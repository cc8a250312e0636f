package tda

import (
	"fmt"
	"math"
	"math/bits"
)

// CountSimplices returns the number of simplices of dimension 0 to maxDim+1 in the
// Vietoris–Rips complex of the points (row-major, as for Workspace.Persistence) whose
// edges are at most maxEdge long: GUDHI's num_simplices for a RipsComplex expanded to
// maxDim+1. maxEdge <= 0, +Inf or NaN mean no limit, and then the count is the sum of
// binomial coefficients C(n, k), k = 1..maxDim+2. With a limit it counts the cliques with
// bitsets, in time proportional to n/64 times the number of edges (maxDim <= 1) or of
// triangles (maxDim 2), and allocates n*n/8 bytes.
//
// CountSimplices panics if dim < 1, len(points) is not a multiple of dim, maxDim is
// outside [0, MaxHomologyDim], or there are more than 65536 points.
func CountSimplices(points []float64, dim, maxDim int, maxEdge float64) int64 {
	if dim < 1 || len(points)%dim != 0 {
		panic(fmt.Sprintf("tda: %d coordinates do not make points of dimension %d", len(points), dim))
	}
	if maxDim < 0 || maxDim > MaxHomologyDim {
		panic(fmt.Sprintf("tda: max dimension %d out of range", maxDim))
	}
	n := len(points) / dim
	if n > maxVertices {
		panic(fmt.Sprintf("tda: %d points, at most %d", n, maxVertices))
	}
	limit := Options{MaxEdge: maxEdge}.limit()
	if math.IsInf(limit, 1) {
		total := int64(0)
		for k := 1; k <= maxDim+2; k++ {
			total += binomial(n, k)
		}
		return total
	}
	words := (n + 63) >> 6
	up := make([]uint64, n*words) // up[i]: neighbours j > i within the limit
	for i := range n {
		pi := points[i*dim : i*dim+dim]
		for j := i + 1; j < n; j++ {
			pj := points[j*dim : j*dim+dim]
			s := 0.0
			for k, x := range pj {
				t := x - pi[k]
				s += t * t
			}
			if math.Sqrt(s) <= limit {
				up[i*words+j>>6] |= 1 << (j & 63)
			}
		}
	}
	row := func(i int) []uint64 { return up[i*words : i*words+words] }
	total := int64(n)
	for i := range n {
		ri := row(i)
		forEachBit(ri, func(j int) {
			total++ // edge {i, j}
			switch {
			case maxDim == 1:
				total += int64(popcount2(ri, row(j))) // triangles {i, j, k}
			case maxDim >= 2:
				rj := row(j)
				forEachBit2(ri, rj, func(k int) {
					total += 1 + int64(popcount3(ri, rj, row(k))) // {i, j, k} and its cofaces
				})
			}
		})
	}
	return total
}

func forEachBit(x []uint64, f func(int)) {
	for wi, v := range x {
		for v != 0 {
			f(wi<<6 | bits.TrailingZeros64(v))
			v &= v - 1
		}
	}
}

func forEachBit2(x, y []uint64, f func(int)) {
	for wi, v := range x {
		v &= y[wi]
		for v != 0 {
			f(wi<<6 | bits.TrailingZeros64(v))
			v &= v - 1
		}
	}
}

func popcount2(x, y []uint64) int {
	c := 0
	for wi, v := range x {
		c += bits.OnesCount64(v & y[wi])
	}
	return c
}

func popcount3(x, y, z []uint64) int {
	c := 0
	for wi, v := range x {
		c += bits.OnesCount64(v & y[wi] & z[wi])
	}
	return c
}
