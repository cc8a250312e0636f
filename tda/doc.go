// Package tda computes Vietoris–Rips persistent homology of point clouds and the
// summaries the streaming detector uses: Betti numbers, persistence entropy, total
// lifetime, landscapes, bottleneck and Wasserstein distances, and delay embeddings.
// It is pure numerics: no I/O, no goroutines, no package state; it imports gonum and the
// standard library only.
//
// # Conventions
//
// They match GUDHI and Ripser (see shared/testdata/tda/README.md):
//
//   - The complex is Vietoris–Rips on the Euclidean distance sqrt(sum_k (a_k-b_k)^2),
//     computed in float64 in coordinate order. A simplex enters at its diameter, the
//     length of its longest edge (not half of it); vertices enter at 0.
//   - Options.MaxEdge keeps the edges of length <= MaxEdge; bars alive at MaxEdge are
//     infinite. Without it the threshold is the enclosing radius min_i max_j d(i,j), which
//     changes no bar (the complex is a cone from there on).
//   - H0..H_MaxDim are computed with Z/2 coefficients on the complex up to dimension
//     MaxDim+1. Bars of zero length (Birth == Death) are dropped. Each dimension's bars are
//     sorted by (Birth, Death) with infinite deaths (math.Inf(1)) last. Without MaxEdge
//     there is exactly one infinite bar, in H0.
//   - BettiAt counts bars with Birth <= t < Death. BarsOverEpsilon counts Death-Birth > eps
//     and every infinite bar. TotalLifetime and Entropy use finite bars only; Entropy is
//     -sum p_i ln p_i with p_i = l_i / sum l_j, and 0 without finite bars.
//   - Landscapes are Bubenik's lambda_k(t), the k-th largest max(0, min(t-b, d-t)) over
//     finite bars, on numpy.linspace grids.
//   - Bottleneck and Wasserstein1 use the L-infinity ground metric, match infinite bars
//     among themselves by birth, and are +Inf when the numbers of infinite bars differ.
//   - TakensTo builds point i = (x[i], x[i+tau], ..., x[i+(d-1)tau]), i = 0..N-1-(d-1)tau.
//
// # Algorithm
//
// Persistence follows Ripser (U. Bauer, "Ripser: efficient computation of Vietoris–Rips
// persistence barcodes", 2021): H0 by union–find over the edges in order; H1 and H2 by
// cohomology, reducing coboundary columns in reverse filtration order with clearing;
// coboundaries are enumerated on the fly, never stored, with simplices named by the
// combinatorial number system; apparent pairs are found without building their columns
// and emergent pairs end a column as soon as its first pivot is free.
//
// Where it differs from Ripser:
//
//   - Edges are ranked by length once (ties broken by index), and a simplex's filtration
//     value is the rank of its longest edge. This refines the filtration into a total
//     order, a simplex and its key (rank, index) fit in one uint64, and the apparent
//     pairs of edges and triangles are exactly the ones a single pass over the edges
//     finds with bitsets of lower neighbours.
//   - Neighbourhoods are bitsets, so a threshold (MaxEdge) shrinks every coboundary
//     enumeration to the common neighbours of the simplex's vertices.
//   - The working coboundary is a radix heap: a reduction's pivot only increases, so the
//     queue is monotone and a push is O(1). An added column's entries below the current
//     pivot cancel among themselves and are never pushed.
//   - A column first works on the cofacets below a rank cutoff (deaths are usually close
//     to births) and falls back to whole coboundaries if that truncated column empties.
//
// # Memory and limits
//
// A computation on n points keeps about 40*n*n bytes: distances, edges and their sort
// buffers, and the n*n rank matrix (2000 points: 160 MB). The working coboundary of a
// column is usually small, but a long-lived class whose cocycle needs many additions
// (points on a circle) makes it large: 1000 points on a circle take about 1.2 GB and 5 s,
// as Ripser needs 0.5 GB and 18 s. Keys must fit in 63 bits, which allows about 9000 points for H1 and
// 2500 for H2 (ErrTooManyPoints beyond).
//
// # Reuse and concurrency
//
// Workspace and SlidingWindow keep their buffers between calls: once grown, Persistence
// on clouds of similar size, and SlidingWindow pushes and diagrams, do not allocate.
// Their results alias those buffers until the next call. Neither type is safe for
// concurrent use; the free functions are. Length mismatches are programming errors and
// panic with a "tda: " message; bad data (no points, NaN, too many points) returns an
// error.
//
// # Example
//
//	var w tda.Workspace
//	d, err := w.Persistence(points, 3, tda.Options{MaxDim: 1}) // points: n*3 floats
//	if err != nil {
//		return err
//	}
//	loops := tda.BarsOverEpsilon(d[1], 0.1)
//	h := tda.PooledEntropy(d...)
package tda
