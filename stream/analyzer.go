package stream

import (
	"errors"
	"fmt"
	"math"

	"github.com/topoforge/topoforge/tda"
)

// Errors of Push, wrapped with the field at fault; compare with errors.Is.
var (
	// ErrNotFinite is returned for a NaN or infinite value.
	ErrNotFinite = errors.New("stream: value is not finite")
	// ErrPointSize is returned for a point whose length is not len(Config.Fields).
	ErrPointSize = errors.New("stream: wrong number of values")
	// ErrOutOfRange is returned for a finite value too large to analyse: beyond MaxValue,
	// or beyond MaxValue in the stream's reference units (see the package documentation),
	// where the window's distances would overflow.
	ErrOutOfRange = errors.New("stream: value out of range")
	// ErrNoConfig is returned by Push on an Analyzer made neither by NewAnalyzer nor by
	// UnmarshalBinary.
	ErrNoConfig = errors.New("stream: analyzer has no configuration")
)

// MaxValue bounds the magnitude of a sample, both as given and in reference units once the
// first window has fixed the reference: squared distances of embedded points then stay far
// from overflowing.
const MaxValue = 1e100

// scaleHorizon is the number of samples over which the stream scale is averaged.
const scaleHorizon = 500

// Analyzer analyses one stream: see the package documentation. Create it with
// NewAnalyzer. An Analyzer is not safe for concurrent use.
type Analyzer struct {
	noCopy noCopy

	cfg  Config
	nf   int // fields
	d    int // embedding dimension
	tau  int // delay, 0 until chosen
	tmax int // largest delay: cfg.Delay, or AutoMaxDelay

	needed int   // samples before the first window
	seen   int64 // samples pushed

	ring []float64 // the last len(ring)/nf samples, sample s at slot s % (len(ring)/nf)

	ref0, refScale []float64 // per field: reference centre and scale, fixed at the first window
	centre, dev    []float64 // per field: running mean and mean absolute deviation, reference units

	ctx    []contextModel // per field, from the first window
	ctxSur []float64      // per field: largest contextual surprise since the last analysed window

	early earlyRange // the warmup's detector, from the first sample

	sw   *tda.SlidingWindow // nil until needed: see Release
	pt   []float64          // the embedded point being pushed
	topo topology
	feat []float64
	sc   scorer
}

// NewAnalyzer returns an Analyzer for cfg, or an error wrapping ErrConfig naming the
// first invalid field. Until the first window is full it holds only the recent samples
// and the histograms; the window's buffers (about 100 KB for the default window) are
// allocated then.
func NewAnalyzer(cfg Config) (*Analyzer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return newAnalyzer(cfg.clone(), defaultTuning()), nil
}

func newAnalyzer(cfg Config, t tuning) *Analyzer {
	a := &Analyzer{cfg: cfg, nf: len(cfg.Fields), d: cfg.EmbeddingDim}
	switch {
	case a.d == 1:
		a.tau, a.tmax = 1, 1
	case cfg.Delay == AutoDelay:
		a.tmax = AutoMaxDelay(cfg.WindowSize, a.d)
	default:
		a.tau, a.tmax = int(cfg.Delay), int(cfg.Delay)
	}
	a.needed = cfg.WindowSize + (a.d-1)*a.tmax
	a.ring = make([]float64, a.needed*a.nf)
	a.feat = make([]float64, nTopo+nStat*a.nf)
	a.early = newEarlyRange(a.nf)
	warmWindows := max(cfg.Warmup-a.needed, 0)/cfg.Stride + 1
	a.sc = newScorer(t, a.nf, warmWindows/t.refWindows)
	return a
}

// Config returns the effective configuration: the one given to NewAnalyzer or
// SetConfig, with Delay set to the chosen delay once AutoDelay has chosen it.
func (a *Analyzer) Config() Config {
	c := a.cfg.clone()
	if c.Delay == AutoDelay && a.tau > 0 && a.d > 1 {
		c.Delay = Delay(a.tau)
	}
	return c
}

// SetConfig changes the configuration. A change of AnomalyThreshold, Weights or Warmup
// applies from the next window and keeps everything learnt; any other change starts the
// stream afresh, as NewAnalyzer would, and SetConfig reports reset. It returns an error
// wrapping ErrConfig, and changes nothing, if cfg is invalid.
func (a *Analyzer) SetConfig(cfg Config) (reset bool, err error) {
	if err := cfg.Validate(); err != nil {
		return false, err
	}
	cfg = cfg.clone()
	if a.cfg.structural(&cfg) {
		a.adopt(newAnalyzer(cfg, a.sc.t))
		return true, nil
	}
	a.cfg = cfg
	return false, nil
}

// Buffered returns the number of samples pushed so far, capped at needed, and the number
// needed before the first window is analysed: WindowSize + (EmbeddingDim-1)*Delay, with
// AutoMaxDelay standing for AutoDelay. Push analyses windows once count == needed.
func (a *Analyzer) Buffered() (count, needed int) {
	return int(min(a.seen, int64(a.needed))), a.needed
}

// Samples returns the number of samples pushed so far.
func (a *Analyzer) Samples() int64 { return a.seen }

// Push adds one sample: point holds the values of Config.Fields, in order, and is not
// retained. It returns the analysis of the window that ends with this sample and true
// when a window was analysed (the window is full and the sample falls on the stride),
// and false while buffering or between strides (see Buffered).
//
// Push returns an error wrapping ErrPointSize if len(point) != len(Config.Fields) and
// ErrNotFinite for a NaN or infinite value, ErrOutOfRange for a value beyond MaxValue (as
// given or in reference units); the sample is then ignored and the state is
// unchanged. Once the window's buffers exist Push does not allocate. The Analysis'
// Landscape is valid until the next call.
func (a *Analyzer) Push(point []float64) (Analysis, bool, error) {
	if a.nf == 0 {
		return Analysis{}, false, ErrNoConfig
	}
	if len(point) != a.nf {
		return Analysis{}, false, fmt.Errorf("push %d values for %d fields: %w", len(point), a.nf, ErrPointSize)
	}
	for i, v := range point {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return Analysis{}, false, fmt.Errorf("field %q: %w", a.cfg.Fields[i], ErrNotFinite)
		case math.Abs(v) > MaxValue || (a.ref0 != nil && math.Abs(a.norm(v, i)) > MaxValue):
			return Analysis{}, false, fmt.Errorf("field %q: %g: %w", a.cfg.Fields[i], v, ErrOutOfRange)
		}
	}
	cap := int64(len(a.ring) / a.nf)
	copy(a.ring[int(a.seen%cap)*a.nf:], point)
	a.early.push(point, a.seen, a.needed-1)
	a.seen++
	switch {
	case a.seen < int64(a.needed):
		return Analysis{}, false, nil
	case a.seen == int64(a.needed):
		a.start()
	default:
		a.updateScale(point)
		a.learnContext(point)
		if a.sw == nil {
			a.rebuild()
		} else {
			a.pushPoint(a.seen - 1)
		}
	}
	if (a.seen-int64(a.needed))%int64(a.cfg.Stride) != 0 {
		return Analysis{}, false, nil
	}
	return a.analyse(), true, nil
}

// start runs when the first window is complete: it chooses the delay, fixes the
// reference of each field and builds the window.
func (a *Analyzer) start() {
	n := a.needed
	col := make([]float64, n)
	for f := range a.nf {
		for s := range n {
			col[s] = a.ring[s*a.nf+f]
		}
		if a.tau == 0 {
			// AutoDelay: the largest of the fields' delays.
			tau, err := tda.ChooseDelay(col, a.tmax, tda.DelayMutualInformation)
			if err != nil {
				tau = 1 // unreachable: the samples are finite
			}
			a.tau = max(a.tau, tau)
		}
	}
	a.ref0 = make([]float64, a.nf)
	a.refScale = make([]float64, a.nf)
	a.centre = make([]float64, a.nf)
	a.dev = make([]float64, a.nf)
	for f := range a.nf {
		for s := range n {
			col[s] = a.ring[s*a.nf+f]
		}
		var r rarity
		r.setReference(col)
		a.ref0[f], a.refScale[f] = r.centre, r.scale
		// The running scale starts at the mean absolute deviation of the first samples.
		m, dv := 0.0, 0.0
		for s := range n {
			m += a.norm(a.ring[s*a.nf+f], f)
		}
		m /= float64(n)
		for s := range n {
			dv += math.Abs(a.norm(a.ring[s*a.nf+f], f) - m)
		}
		a.centre[f], a.dev[f] = m, dv/float64(n)
	}
	a.ctx = make([]contextModel, a.nf)
	a.ctxSur = make([]float64, a.nf)
	for s := range n {
		a.learnContext(a.ring[s*a.nf : (s+1)*a.nf])
	}
	a.rebuild()
}

// learnContext feeds a sample to the contextual model of each field and keeps the
// largest surprise since the last analysed window.
func (a *Analyzer) learnContext(point []float64) {
	for f, v := range point {
		a.ctxSur[f] = math.Max(a.ctxSur[f], a.ctx[f].push(a.norm(v, f), &a.sc.t))
	}
}

// contextSurprise returns the mean over the fields of the contextual surprise since the
// last analysed window, and starts the next.
func (a *Analyzer) contextSurprise() float64 {
	s := 0.0
	for f, v := range a.ctxSur {
		s += v
		a.ctxSur[f] = 0
	}
	return s / float64(a.nf)
}

// norm returns sample value v of field f in reference units.
func (a *Analyzer) norm(v float64, f int) float64 {
	return (v - a.ref0[f]) / a.refScale[f]
}

// updateScale updates the running centre and mean absolute deviation of each field.
func (a *Analyzer) updateScale(point []float64) {
	const alpha = 1.0 / scaleHorizon
	for f, v := range point {
		u := a.norm(v, f)
		a.centre[f] += alpha * (u - a.centre[f])
		a.dev[f] += alpha * (math.Abs(u-a.centre[f]) - a.dev[f])
	}
}

// scale returns the stream scale in reference units: the root mean square over the
// fields of their running mean absolute deviation, at least minScale.
func (a *Analyzer) scale() float64 {
	s := 0.0
	for _, d := range a.dev {
		s += d * d
	}
	return math.Max(math.Sqrt(s/float64(a.nf)), minScale)
}

// minScale is the smallest stream scale in reference units, for constant streams.
const minScale = 1e-6

// sample returns the value of field f of sample s, which must still be in the ring.
func (a *Analyzer) sample(s int64, f int) float64 {
	cap := int64(len(a.ring) / a.nf)
	return a.ring[int(s%cap)*a.nf+f]
}

// pushPoint pushes the embedded point that ends with sample s into the window.
func (a *Analyzer) pushPoint(s int64) {
	for f := range a.nf {
		for k := range a.d {
			a.pt[f*a.d+k] = a.norm(a.sample(s-int64((a.d-1-k)*a.tau), f), f)
		}
	}
	if err := a.sw.PushPoint(a.pt); err != nil {
		panic(fmt.Sprintf("stream: push a finite point: %v", err)) // values were checked
	}
}

// rebuild creates the window and fills it with the points of the last WindowSize
// samples, from the ring.
func (a *Analyzer) rebuild() {
	if a.sw == nil {
		sw, err := tda.NewSlidingWindow(tda.WindowConfig{
			Points:  a.cfg.WindowSize,
			Dim:     a.nf * a.d,
			Options: tda.Options{MaxDim: a.cfg.MaxDim},
		})
		if err != nil {
			panic(fmt.Sprintf("stream: window of a valid config: %v", err))
		}
		a.sw = sw
		a.pt = make([]float64, a.nf*a.d)
		a.topo = newTopology(a.cfg.WindowSize, a.cfg.MaxDim)
	}
	a.sw.Reset()
	for s := a.seen - int64(a.cfg.WindowSize); s < a.seen; s++ {
		a.pushPoint(s)
	}
}

// adopt moves the state of n, which must not be used afterwards, into a. The window is
// rebuilt on the next Push.
func (a *Analyzer) adopt(n *Analyzer) {
	a.cfg, a.nf, a.d, a.tau, a.tmax = n.cfg, n.nf, n.d, n.tau, n.tmax
	a.needed, a.seen, a.ring = n.needed, n.seen, n.ring
	a.ref0, a.refScale, a.centre, a.dev = n.ref0, n.refScale, n.centre, n.dev
	a.ctx, a.ctxSur = n.ctx, n.ctxSur
	a.early = n.early
	a.feat, a.sc = n.feat, n.sc
	a.Release()
}

// Release frees the window's buffers, keeping everything needed to rebuild them from the
// recent samples on the next Push, which then costs about WindowSize times more than
// usual. Call it on streams that go idle, to keep their memory small. Outputs do not
// change.
func (a *Analyzer) Release() {
	a.sw = nil
	a.pt = nil
	a.topo = topology{}
}

// analyse computes the analysis of the current window.
func (a *Analyzer) analyse() Analysis {
	d, err := a.sw.Diagram()
	if err != nil {
		panic(fmt.Sprintf("stream: diagram of a full window: %v", err))
	}
	var out Analysis
	out.Sample = a.seen
	a.topo.set(a.feat, d, a.scale(), a.cfg.MaxDim)
	a.topo.describe(&out, a.feat, a.cfg.MaxDim)
	a.statistics()

	comp, total := a.sc.observe(a.feat, a.contextSurprise(), a.cfg.Weights)
	early := a.early.take()
	if a.seen <= int64(a.cfg.Warmup) || !a.sc.ready() {
		// Only the early detector speaks: see earlyRange.
		out.Warmup = true
		total, alert := a.sc.alert(early, a.cfg.AnomalyThreshold, a.cfg.Stride)
		out.Scores.Total, out.AnomalyScore, out.IsAnomaly = total, total, alert
		return out
	}
	total, alert := a.sc.alert(total, a.cfg.AnomalyThreshold, a.cfg.Stride)
	out.Scores = Scores{Total: total, Betti: comp[compBetti], Entropy: comp[compEntropy], ML: comp[compML]}
	out.AnomalyScore = total
	out.IsAnomaly = alert
	return out
}

// statistics writes the level of each field over the last WindowSize samples and over
// the last recentSamples, in reference units, into the feature vector.
func (a *Analyzer) statistics() {
	w := a.cfg.WindowSize
	for f := range a.nf {
		level, recent := 0.0, 0.0
		for s := a.seen - int64(w); s < a.seen; s++ {
			v := a.norm(a.sample(s, f), f)
			level += v
			if s >= a.seen-recentSamples {
				recent += v
			}
		}
		a.feat[nTopo+nStat*f+featLevel] = level / float64(w)
		a.feat[nTopo+nStat*f+featRecent] = recent / recentSamples
	}
}

// noCopy may be embedded in structs that must not be copied after first use; go vet's
// copylocks check reports copies.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}
