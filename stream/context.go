package stream

import "math"

// Shape of the contextual model: contextLevels quantisation levels and sequences of
// contextOrder samples. They size its tables: contextLevels^contextOrder sequence counts
// and contextLevels^(contextOrder-1) context counts, float32, 4.4 KB per field.
const (
	contextLevels = 10
	contextOrder  = 3

	contextCells    = contextLevels * contextLevels * contextLevels // contextLevels^contextOrder
	contextPrefixes = contextCells / contextLevels
)

// contextModel is the contextual part of the ML component: an order-2 Markov model, with
// forgetting, of one field quantised on a coarse signed logarithmic scale. Its surprise
// is how unexpected the newest level is after the two before it, -ln P(q[t] | q[t-2],
// q[t-1]): a familiar pair of levels followed by a level it never led to, such as a rise
// that does not come or a new shape at usual levels, which the histograms of single
// features do not see. P is estimated as (c(prefix, q) + alpha) / (c(prefix) +
// alpha·contextLevels), counts in units of the newest sample's weight, so a context
// never seen gives at most ln(contextLevels) nats and only a familiar context followed
// by an unfamiliar level gives much more. It is the online, bounded-memory analogue of
// the contextual detector CAD OSE of the NAB scoreboard.
//
// Forgetting uses a growing weight as rarity does.
type contextModel struct {
	last   [contextOrder - 1]uint8  // the previous symbols, oldest first
	seen   int                      // symbols pushed, capped at contextOrder
	weight float64                  // weight of the next sample, at most contextWeightLimit
	seq    [contextCells]float32    // counts of (prefix, symbol)
	prefix [contextPrefixes]float32 // counts of prefix
}

// contextWeightLimit is where a contextModel rescales its counts, which are float32: the
// counts sum to at most about weight/(1-ctxDecay).
const contextWeightLimit = 1e30

// contextSymbol quantises z, in reference units: sign(z)·ln(1+|z|) in steps of width, clamped
// to contextLevels levels.
func contextSymbol(z, width float64) uint8 {
	const h = contextLevels / 2
	u := math.Log1p(math.Abs(z)) / width
	if !(u < h) {
		u = h // the outer levels, also for an infinite z
	}
	b := int(u)
	if z < 0 {
		return uint8(max(h-1-b, 0))
	}
	return uint8(min(h+b, contextLevels-1))
}

// push counts the sample z (in reference units) in its context and returns its surprise
// in nats, 0 while fewer than contextOrder samples have been pushed.
func (m *contextModel) push(z float64, t *tuning) float64 {
	if m.weight == 0 {
		m.weight = 1
	}
	q := contextSymbol(z, t.ctxWidth)
	s := 0.0
	if m.seen >= contextOrder-1 {
		p := 0
		for _, v := range m.last {
			p = p*contextLevels + int(v)
		}
		c := p*contextLevels + int(q)
		s = -math.Log((float64(m.seq[c]) + t.ctxAlpha*m.weight) / (float64(m.prefix[p]) + t.ctxAlpha*contextLevels*m.weight))
		m.seq[c] += float32(m.weight)
		m.prefix[p] += float32(m.weight)
		m.weight /= t.ctxDecay
		if m.weight > contextWeightLimit {
			m.rescale()
		}
	}
	copy(m.last[:], m.last[1:])
	m.last[len(m.last)-1] = q
	m.seen = min(m.seen+1, contextOrder)
	return s
}

// rescale divides every count and the weight by the weight.
func (m *contextModel) rescale() {
	inv := float32(1 / m.weight)
	for i := range m.seq {
		m.seq[i] *= inv
	}
	for i := range m.prefix {
		m.prefix[i] *= inv
	}
	m.weight = 1
}
