package stream

import "math"

// earlyRange is the early detector of the warmup: while the histograms cannot score yet,
// it flags only a sample that leaves the range of every sample before it by a large
// part of that range (half of it at the default threshold). A stationary stream, however
// noisy, extends its range by at most a step and a noise draw at a time; a spike, a jump
// or a burst that dwarfs everything seen leaves it at once. The ranges of a stream
// restored from a snapshot of version 1 or 2 may be (-Inf, +Inf): nothing is flagged.
//
// The score of a sample is 100·e/earlyFull, at most 100, where e is how far the sample
// lies beyond [lo, hi] of the earlier samples of its field, in units of hi - lo (at
// least 1e-9 of max(|lo|, |hi|)), and the largest over the fields counts. With the
// default threshold 50 a sample must leave the range by half of it.
type earlyRange struct {
	lo, hi []float64 // per field: the smallest and largest sample so far, as given
	score  float64   // largest score since the last analysed window
}

// earlyFull is the excess beyond the range, in units of the range, that maps to an early
// score of 100.
const earlyFull = 1

func newEarlyRange(nf int) earlyRange {
	return earlyRange{lo: make([]float64, nf), hi: make([]float64, nf)}
}

// push widens the ranges to include point, sample number prior (from 0), and scores it
// if at least minPrior samples came before it.
func (e *earlyRange) push(point []float64, prior int64, minPrior int) {
	for f, v := range point {
		if prior == 0 {
			e.lo[f], e.hi[f] = v, v
			continue
		}
		lo, hi := e.lo[f], e.hi[f]
		excess := math.Max(v-hi, lo-v)
		if excess <= 0 {
			continue
		}
		if prior >= int64(minPrior) {
			r := math.Max(hi-lo, 1e-9*math.Max(math.Abs(lo), math.Abs(hi)))
			e.score = math.Max(e.score, math.Min(100*excess/(earlyFull*r), 100)) // +Inf if r is 0
		}
		e.lo[f], e.hi[f] = math.Min(lo, v), math.Max(hi, v)
	}
}

// take returns the largest score since the last call.
func (e *earlyRange) take() float64 {
	s := e.score
	e.score = 0
	return s
}
