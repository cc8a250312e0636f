package stream

import "math"

// Features of a window, in this order in a feature vector. The topological ones are in
// reference units; then come nStat statistical features per field.
const (
	featGap     = iota // longest finite H0 bar: the widest gap in the point cloud
	featH1             // total persistence of the finite H1 bars (0 when MaxDim is 0)
	featEntropy        // persistence entropy of all finite bars
	nTopo              // number of topological features

	// Per field f, at nTopo+nStat*f+k, in the field's reference units: the mean of the
	// field over the last WindowSize samples (featLevel) and over the last
	// recentSamples (featRecent).
	featLevel  = 0
	featRecent = 1
	nStat      = 2
)

// recentSamples is the number of samples averaged by featRecent.
const recentSamples = 5

// Components of the total score.
const (
	compBetti = iota
	compEntropy
	compML
	nComp
)

// tuning holds the constants of the scoring method, tuned on the Numenta Anomaly
// Benchmark (bench/RESULTS.md). They are not configuration: a snapshot does not carry
// them.
type tuning struct {
	refWindows int     // feature vectors that fix the histograms' reference
	binWidth   float64 // width of a rarity bin in ln(1+|z|)
	decay      float64 // forgetting factor of the rarity histograms per window
	prior      float64 // pseudo-count of an empty rarity bin
	reach      float64 // extra surprise, in nats, per bin between an empty bin and the nearest visited one

	gapW, h1W float64 // weights of the longest H0 bar and of the H1 persistence in Betti
	levelW    float64 // weight of the level in ML
	recentW   float64 // weight of the recent level in ML
	ctxW      float64 // weight of the contextual surprise in ML

	ctxWidth float64 // width of a contextual quantisation level in ln(1+|z|)
	ctxAlpha float64 // pseudo-count of an unseen continuation of a context
	ctxDecay float64 // forgetting factor of the contextual counts per sample

	full     float64 // surprise, in nats, that maps to a score of 100
	suppress int     // samples without a new alert after an alert
	holdCap  float64 // while suppressed, Total is capped at holdCap * AnomalyThreshold
}

func defaultTuning() tuning {
	return tuning{
		refWindows: 100,
		binWidth:   0.25,
		decay:      0.9995,
		prior:      0.1,
		reach:      1,
		gapW:       1,
		h1W:        0.25,
		levelW:     1,
		recentW:    1,
		ctxW:       0.3,
		ctxWidth:   0.8,
		ctxAlpha:   0.11,
		ctxDecay:   0.9995,
		full:       14.5,
		suppress:   120,
		holdCap:    0.5,
	}
}

// scorer turns feature vectors into scores. It owns every histogram of the method.
type scorer struct {
	t        tuning
	nfeat    int
	nf       int
	refEvery int // keep one reference vector every refEvery windows

	refBuf  []float64 // refWindows*nfeat reference vectors, nil once the reference is set
	refN    int       // vectors in refBuf
	refTick int       // windows seen while collecting the reference

	hist []rarity // one per feature

	hold int // samples left without a new alert
}

func newScorer(t tuning, nf, refEvery int) scorer {
	nfeat := nTopo + nStat*nf
	return scorer{
		t:        t,
		nfeat:    nfeat,
		nf:       nf,
		refEvery: max(refEvery, 1),
		refBuf:   make([]float64, 0, t.refWindows*nfeat),
		hist:     make([]rarity, nfeat),
	}
}

// ready reports whether the reference is set, so that windows can be scored.
func (s *scorer) ready() bool { return s.refBuf == nil }

// observe scores the feature vector f of a window against the histograms, then learns
// it. ctx is the contextual surprise of the window's newest samples, in nats, averaged
// over the fields. It returns the component and total scores, all in [0, 100]; zeros
// while the reference is being collected.
func (s *scorer) observe(f []float64, ctx float64, w Weights) (comp [nComp]float64, total float64) {
	if !s.ready() {
		s.collect(f)
		return comp, 0
	}
	t := &s.t
	var sur [nComp]float64
	sur[compML] = t.ctxW * ctx
	for k := range s.nfeat {
		r := s.hist[k].surprise(f[k], t.binWidth, t.prior, t.reach)
		switch {
		case k == featGap:
			sur[compBetti] += t.gapW * r
		case k == featH1:
			sur[compBetti] += t.h1W * r
		case k == featEntropy:
			sur[compEntropy] = r
		case (k-nTopo)%nStat == featLevel:
			sur[compML] += t.levelW * r / float64(s.nf)
		default:
			sur[compML] += t.recentW * r / float64(s.nf)
		}
		s.hist[k].add(f[k], t.binWidth, t.decay)
	}
	for c, v := range sur {
		comp[c] = min(100*v/t.full, 100)
	}
	v := (w.Betti*sur[compBetti] + w.Entropy*sur[compEntropy] + w.ML*sur[compML]) / (w.Betti + w.Entropy + w.ML)
	return comp, min(100*v/t.full, 100)
}

// collect keeps every refEvery-th vector until refWindows are kept, then sets the
// reference of each histogram from them and counts them.
func (s *scorer) collect(f []float64) {
	s.refTick++
	if (s.refTick-1)%s.refEvery != 0 {
		return
	}
	s.refBuf = append(s.refBuf, f[:s.nfeat]...)
	s.refN++
	if s.refN < s.t.refWindows {
		return
	}
	col := make([]float64, s.refN)
	for k := range s.nfeat {
		for i := range col {
			col[i] = s.refBuf[i*s.nfeat+k]
		}
		s.hist[k].setReference(col)
		for i := range col {
			s.hist[k].add(s.refBuf[i*s.nfeat+k], s.t.binWidth, s.t.decay)
		}
	}
	s.refBuf = nil
}

// alert applies the suppression after an alert to a total score: it returns the score
// to report and whether it is an alert. stride is the number of samples per window.
func (s *scorer) alert(total, threshold float64, stride int) (float64, bool) {
	if s.hold > 0 {
		s.hold = max(s.hold-stride, 0)
		return math.Min(total, s.t.holdCap*threshold), false
	}
	if total >= threshold {
		s.hold = s.t.suppress
		return total, true
	}
	return total, false
}
