package detect

import (
	"math"
	"unsafe"
)

// attributor is implemented by models whose score splits over features.
// attribute writes each feature's non-negative share of the score of x into
// dst (len d); larger means the feature drives the score more.
type attributor interface {
	attribute(dst, x []float64)
}

// attribute for HBOS: the per-feature histogram cost.
func (h *hbos) attribute(dst, x []float64) {
	for j, v := range x {
		if b := h.bin(j, v); b >= 0 {
			dst[j] = h.cost[j*h.bins+b]
		} else {
			dst[j] = h.empty
		}
	}
}

// attribute for ECOD and COPOD: the per-feature tail term.
func (t *tails) attribute(dst, x []float64) {
	for j, v := range x {
		ul, ur := t.tailLogs(j, v)
		var us float64
		switch t.skew[j] {
		case -1:
			us = ul
		case 1:
			us = ur
		default:
			us = ul + ur
		}
		if t.copula {
			dst[j] = math.Max(us, (ul+ur)/2)
		} else {
			dst[j] = math.Max(us, math.Max(ul, ur))
		}
	}
}

// attribute for ZScore and MAD: the per-feature absolute z.
func (z *zscore) attribute(dst, x []float64) {
	for j, v := range x {
		dst[j] = math.Abs(v-z.center[j]) * z.inv[j]
	}
}

// attribute for EllipticEnvelope: the terms e_j (P e)_j of the Mahalanobis
// distance eᵀPe, clamped at 0.
func (m *elliptic) attribute(dst, x []float64) {
	d := m.d
	for a := 0; a < d; a++ {
		var t float64
		for b := 0; b < d; b++ {
			t += m.prec[a*d+b] * (x[b] - m.loc[b])
		}
		dst[a] = math.Max(0, (x[a]-m.loc[a])*t)
	}
}

// attribute for PCA: the terms e_j Σ_c p_c w_cj of the residual Σ_c p_c²,
// where p_c = w_c·e, clamped at 0.
func (p *pca) attribute(dst, x []float64) {
	d := p.d
	clear(dst)
	for c := 0; c < p.r; c++ {
		row := p.comps[c*d : (c+1)*d]
		var proj float64
		for j, v := range x {
			proj += (v - p.mean[j]) * row[j]
		}
		for j, v := range x {
			dst[j] += (v - p.mean[j]) * row[j] * proj
		}
	}
	for j := range dst {
		dst[j] = math.Max(0, dst[j])
	}
}

// attribute for IsolationForest: along each tree's path, every split on a
// feature earns 1 / (path length), so features that isolate the row early
// weigh most (after DIFFI, Carletti et al. 2023).
func (f *iforest) attribute(dst, x []float64) {
	f.scoreAttribute(dst, x)
}

// scoreAttributor is implemented by models that compute a row's score and
// its attribution (see attributor) in one pass, bit-identical to score.
type scoreAttributor interface {
	scoreAttribute(dst, x []float64) float64
}

// scoreAttribute is attribute and score in one walk of the trees: the row's
// nodes are read once, which matters on the single-row detect path where the
// trees are rarely all in cache. Like pathSum it walks four trees in lockstep
// so that their independent node loads overlap. Leaf values are added in tree
// order, as pathSum does, so the score is bit-identical to score(x).
func (f *iforest) scoreAttribute(dst, x []float64) float64 {
	clear(dst)
	nb := unsafe.Pointer(unsafe.SliceData(f.nodes))
	xb := unsafe.Pointer(unsafe.SliceData(x))
	node := func(i int32) *ifNode { return (*ifNode)(unsafe.Add(nb, uintptr(i)*unsafe.Sizeof(ifNode{}))) }
	var sum float64
	var u0, u1, u2, u3 [64]int32 // features split on along each path (depth <= 64, checked by decode)
	credit := func(leaf int32, used []int32) {
		sum += f.leaf[leaf]
		w := 1 / math.Max(f.leaf[leaf], 1)
		for _, j := range used {
			dst[j] += w
		}
	}
	roots := f.roots
	t := 0
	for ; t+4 <= len(roots); t += 4 {
		i0, i1, i2, i3 := roots[t], roots[t+1], roots[t+2], roots[t+3]
		var k0, k1, k2, k3 int
		for s := 0; s < f.depth; s++ {
			// A leaf steps to itself (threshold +Inf) and records nothing.
			n0, n1, n2, n3 := node(i0), node(i1), node(i2), node(i3)
			u0[k0], u1[k1], u2[k2], u3[k3] = n0.feat, n1.feat, n2.feat, n3.feat
			if n0.left != i0 {
				k0++
			}
			if n1.left != i1 {
				k1++
			}
			if n2.left != i2 {
				k2++
			}
			if n3.left != i3 {
				k3++
			}
			i0, i1, i2, i3 = step(nb, xb, i0), step(nb, xb, i1), step(nb, xb, i2), step(nb, xb, i3)
		}
		credit(i0, u0[:k0])
		credit(i1, u1[:k1])
		credit(i2, u2[:k2])
		credit(i3, u3[:k3])
	}
	for ; t < len(roots); t++ {
		i, k := roots[t], 0
		for s := 0; s < f.depth; s++ {
			n := node(i)
			if n.left == i {
				break
			}
			u0[k] = n.feat
			k++
			i = step(nb, xb, i)
		}
		credit(i, u0[:k])
	}
	return math.Exp2(-sum / f.norm)
}
