package stream

import "math"

// rarityBins is the number of bins of a feature histogram: rarityBins/2 on each side of
// the reference centre.
const rarityBins = 64

// weightLimit is where a decaying histogram rescales its counts to keep them finite.
const weightLimit = 1e200

// rarity is an exponentially forgetting histogram of one feature on a signed logarithmic
// scale, the one-dimensional density model of the online HBOS. A value v falls in bin
// floor(u/width) + rarityBins/2 (clamped to the outer bins), with z = (v-centre)/scale
// and u = sign(z)·ln(1+|z|): bins are linear near the centre and relative far from it,
// so one histogram covers any range. centre and scale are fixed once, from the first
// values of the stream (setReference).
//
// Forgetting uses a growing weight instead of multiplying every bin: the k-th value adds
// decay^-k, so older values weigh decay^age relative to the newest.
type rarity struct {
	centre, scale float64
	weight        float64 // weight of the next value
	total         float64 // sum of bins
	bins          [rarityBins]float64
}

// setReference fixes the centre (median) and scale of the histogram from sample values,
// which it reorders, and empties the histogram. The scale is 1.4826·MAD, or if that is 0
// 1.2533·(mean absolute deviation), or if that is 0 too 1e-9·max(|centre|, 1).
func (r *rarity) setReference(sample []float64) {
	c := median(sample)
	for i, v := range sample {
		sample[i] = math.Abs(v - c)
	}
	s := 1.4826 * median(sample)
	if !(s > 0) {
		m := 0.0
		for _, v := range sample {
			m += v
		}
		s = 1.2533 * m / float64(len(sample))
	}
	if !(s > 0) {
		s = 1e-9 * max(math.Abs(c), 1)
	}
	*r = rarity{centre: c, scale: s, weight: 1}
}

// bin returns the bin of v.
func (r *rarity) bin(v, width float64) int {
	z := (v - r.centre) / r.scale
	u := math.Log1p(math.Abs(z)) / width
	if u > rarityBins/2 {
		u = rarityBins / 2
	}
	b := int(u) // floor, u >= 0
	if z < 0 {
		return max(rarityBins/2-1-b, 0)
	}
	return min(rarityBins/2+b, rarityBins-1)
}

// surprise returns -ln p, where p = (count of v's bin + prior) / (total + 1) in units of
// the newest value's weight: how rare v's bin has been, discounting old values.
func (r *rarity) surprise(v, width, prior, reach float64) float64 {
	b := r.bin(v, width)
	p := (r.bins[b] + prior*r.weight) / (r.total + r.weight)
	s := max(-math.Log(p), 0)
	if reach > 0 && r.bins[b] < r.weight*occupied {
		s += reach * float64(max(r.distance(b)-1, 0))
	}
	return s
}

// occupied is the weight, in units of the newest value's, from which a bin counts as
// visited for distance.
const occupied = 0.5

// distance returns the number of bins from b to the nearest visited bin, rarityBins if
// there is none.
func (r *rarity) distance(b int) int {
	lim := r.weight * occupied
	for d := 1; d < rarityBins; d++ {
		if (b-d >= 0 && r.bins[b-d] >= lim) || (b+d < rarityBins && r.bins[b+d] >= lim) {
			return d
		}
	}
	return rarityBins
}

// add counts v, then ages the histogram by decay (in (0, 1]).
func (r *rarity) add(v, width, decay float64) {
	b := r.bin(v, width)
	r.bins[b] += r.weight
	r.total += r.weight
	r.weight /= decay
	if r.weight > weightLimit {
		inv := 1 / r.weight
		for i := range r.bins {
			r.bins[i] *= inv
		}
		r.total *= inv
		r.weight = 1
	}
}

// median returns the median of x (the upper one for an even length), reordering x. x
// must not be empty.
func median(x []float64) float64 {
	k := len(x) / 2
	lo, hi := 0, len(x)-1
	for lo < hi {
		// Hoare selection with the middle element as pivot.
		p := x[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for x[i] < p {
				i++
			}
			for x[j] > p {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
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
			return x[k]
		}
	}
	return x[k]
}
