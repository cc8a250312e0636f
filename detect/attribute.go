package detect

import "math"

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
// trees are rarely all in cache. Leaf values are added in tree order, as
// pathSum does, so the score is bit-identical to score(x).
func (f *iforest) scoreAttribute(dst, x []float64) float64 {
	clear(dst)
	var sum float64
	for _, root := range f.roots {
		i := root
		var used [64]int32
		k := 0
		for s := 0; s < f.depth; s++ {
			n := f.nodes[i]
			if n.left == i {
				break
			}
			used[k] = n.feat
			k++
			i = n.left + right(x[n.feat], n.thr)
		}
		sum += f.leaf[i]
		w := 1 / math.Max(f.leaf[i], 1)
		for _, j := range used[:k] {
			dst[j] += w
		}
	}
	return math.Exp2(-sum / f.norm)
}
