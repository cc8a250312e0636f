package nab

import (
	"fmt"
	"math"
)

// NeverThreshold is the threshold Score reports when firing at no row beats
// every other threshold: NAB's sweep starts at 1.1, above any valid anomaly
// score.
const NeverThreshold = 1.1

// Result is a detector's score on a corpus under one profile.
type Result struct {
	// Profile is the profile's name.
	Profile string

	// Threshold is the anomaly score at or above which a row is a
	// detection. Score's optimum is one of the anomaly scores it was given,
	// or NeverThreshold.
	Threshold float64

	// Score is the raw NAB score, the sum of the Files' scores.
	Score float64

	// Normalized is 100·(Score − Null)/(Perfect − Null): 0 for a detector
	// that never fires, 100 for a perfect one; the figure NAB publishes in
	// final_results.json. It is NaN when Perfect equals Null (a corpus
	// without windows).
	Normalized float64

	// Null is the raw score of a detector that never fires: −A_FN for
	// each window with at least one scored row.
	Null float64

	// Perfect is the raw score of a detector that fires at the first row
	// of every window and nowhere else: A_TP per window.
	Perfect float64

	// TP, FP, FN and TN count scored rows as NAB does: detections inside
	// windows, detections outside, rows inside windows without detection,
	// rows outside without.
	TP, FP, FN, TN int

	// WindowsHit and WindowsMissed count the scored windows with and
	// without a detection.
	WindowsHit, WindowsMissed int

	// Files are the results of each series, in corpus order.
	Files []FileResult
}

// FileResult is a detector's score on one series, the row NAB writes per
// file in <detector>_<profile>_scores.csv.
type FileResult struct {
	// Name is the series' name.
	Name string
	// Score is the series' raw score.
	Score float64
	// TP, FP, FN and TN count the series' scored rows, as in Result.
	TP, FP, FN, TN int
	// WindowsHit and WindowsMissed count the series' scored windows with
	// and without a detection.
	WindowsHit, WindowsMissed int
}

// Scorer scores anomaly scores on one corpus. Building one computes each
// row's worth as a detection once; it then keeps a workspace between calls,
// so that a tuning loop scores the whole NAB corpus in milliseconds, with
// one allocation per call (the Result's Files). A Scorer must be used by one
// goroutine at a time. It does not follow later changes to the corpus, which
// must not change anyway.
type Scorer struct {
	corpus *Corpus
	files  []span

	// Scored rows of all series, probationary rows left out, in corpus
	// and row order.
	win []int32   // global window index, -1 outside windows
	unw []float64 // unweighted worth of a detection, see sweepRows

	windows   int    // windows of the corpus
	winScored []bool // by global window index: has a scored row
	nScored   int    // windows with a scored row

	// Workspace.
	cols       [][]float64 // the scores of each series, in corpus order
	parts      []float64   // best worth so far, by global window index
	hit        []bool      // detected, by global window index
	ranked     []rankedRow
	rankedTmp  []rankedRow
	radixCount []int32
}

// span locates one series' scored rows in a Scorer.
type span struct {
	off  int // index of the series' first scored row in win and unw
	prob int // probationary rows
	n    int // rows
	win0 int // global index of the series' first window
}

// NewScorer prepares a Scorer for c. It panics if c is nil.
func NewScorer(c *Corpus) *Scorer {
	sc := &Scorer{corpus: c, files: make([]span, len(c.Series))}
	rows, longest := 0, 0
	for i, s := range c.Series {
		n := s.Len()
		sc.files[i] = span{off: rows, prob: ProbationaryLength(n), n: n, win0: sc.windows}
		rows += n - sc.files[i].prob
		longest = max(longest, n)
		sc.windows += len(s.Windows)
	}
	sc.win = make([]int32, rows)
	sc.unw = make([]float64, rows)
	sc.winScored = make([]bool, sc.windows)
	sc.parts = make([]float64, sc.windows)
	sc.hit = make([]bool, sc.windows)
	sc.cols = make([][]float64, len(c.Series))
	win, unw := make([]int32, longest), make([]float64, longest)
	for i, s := range c.Series {
		sp := sc.files[i]
		sweepRows(s, int32(sp.win0), win, unw)
		copy(sc.win[sp.off:], win[sp.prob:sp.n])
		copy(sc.unw[sp.off:], unw[sp.prob:sp.n])
		for k, w := range s.Windows {
			if w.Last >= sp.prob {
				sc.winScored[sp.win0+k] = true
				sc.nScored++
			}
		}
	}
	return sc
}

// Score optimises the threshold over the whole corpus as NAB's optimizer
// does and returns the result at the best threshold. scores holds the
// anomaly scores of every series of the corpus by name, one per row, each in
// [0, 1]; series of other names are ignored. Every distinct anomaly score of
// a scored row is tried as a threshold, and NeverThreshold too; of equal
// scores the highest threshold wins. Score returns an error for a missing
// series, a length mismatch, an anomaly score outside [0, 1] or NaN, or a
// profile weight that is not finite.
func (sc *Scorer) Score(scores map[string][]float64, p Profile) (Result, error) {
	if err := sc.prepare(scores, p); err != nil {
		return Result{}, fmt.Errorf("score nab %s: %w", p.Name, err)
	}
	defer clear(sc.cols)
	return sc.scoreAt(p, sc.optimum(p)), nil
}

// ScoreAtThreshold returns the result at a fixed threshold: rows whose
// anomaly score is at or above threshold are detections. With NAB's
// published thresholds (config/thresholds.json) it gives NAB's published
// scores. Its arguments and errors are those of Score, and threshold must
// not be NaN.
func (sc *Scorer) ScoreAtThreshold(scores map[string][]float64, p Profile, threshold float64) (Result, error) {
	if math.IsNaN(threshold) {
		return Result{}, fmt.Errorf("score nab %s: threshold is NaN", p.Name)
	}
	if err := sc.prepare(scores, p); err != nil {
		return Result{}, fmt.Errorf("score nab %s: %w", p.Name, err)
	}
	defer clear(sc.cols)
	return sc.scoreAt(p, threshold), nil
}

// Score optimises the threshold and scores the corpus as Scorer.Score does,
// with a Scorer of its own; for repeated scoring, keep a Scorer instead.
func Score(c *Corpus, scores map[string][]float64, p Profile) (Result, error) {
	return NewScorer(c).Score(scores, p)
}

// ScoreAtThreshold scores the corpus at a fixed threshold as
// Scorer.ScoreAtThreshold does, with a Scorer of its own.
func ScoreAtThreshold(c *Corpus, scores map[string][]float64, p Profile, threshold float64) (Result, error) {
	return NewScorer(c).ScoreAtThreshold(scores, p, threshold)
}

// prepare checks p and scores and fills sc.cols.
func (sc *Scorer) prepare(scores map[string][]float64, p Profile) error {
	if err := p.validate(); err != nil {
		return err
	}
	for i, s := range sc.corpus.Series {
		col, ok := scores[s.Name]
		if !ok {
			clear(sc.cols)
			return fmt.Errorf("no scores for series %s", s.Name)
		}
		if err := checkScores(col, s); err != nil {
			clear(sc.cols)
			return err
		}
		sc.cols[i] = col
	}
	return nil
}

// checkScores checks that col holds one anomaly score in [0, 1] per row of s.
func checkScores(col []float64, s *Series) error {
	if len(col) != s.Len() {
		return fmt.Errorf("series %s: %d scores for %d rows", s.Name, len(col), s.Len())
	}
	for i, v := range col {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("series %s: anomaly score %v at row %d is not in [0, 1]", s.Name, v, i)
		}
	}
	return nil
}

// optimum returns NAB's optimal threshold for sc.cols: it ranks all scored
// rows by anomaly score, highest first, then lowers the threshold one
// distinct score at a time, keeping the corpus score up to date, and
// returns the threshold of the first best score. Like NAB it starts at
// NeverThreshold, where nothing is detected.
func (sc *Scorer) optimum(p Profile) float64 {
	if sc.ranked == nil {
		sc.ranked = make([]rankedRow, len(sc.win))
		sc.rankedTmp = make([]rankedRow, len(sc.win))
		sc.radixCount = make([]int32, 1<<radixBits)
	}
	ranked := sc.ranked[:0]
	for f, sp := range sc.files {
		col := sc.cols[f]
		for i := sp.prob; i < sp.n; i++ {
			// Adding 0 turns −0 into +0, so that both rank alike.
			key := ^math.Float64bits(col[i] + 0)
			ranked = append(ranked, rankedRow{key: key, row: uint32(sp.off + i - sp.prob)})
		}
	}
	ranked = radixSort(ranked, sc.rankedTmp, sc.radixCount)

	top := maxTP()
	parts := sc.parts
	for k := range parts {
		parts[k] = -p.FNWeight
	}
	fp, wins := 0.0, -p.FNWeight*float64(sc.nScored)
	cur := NeverThreshold
	best, bestScore := cur, math.Inf(-1)
	for _, r := range ranked {
		if v := math.Float64frombits(^r.key); v != cur {
			if s := fp + wins; s > bestScore {
				best, bestScore = cur, s
			}
			cur = v
		}
		w, u := sc.win[r.row], sc.unw[r.row]
		if w < 0 {
			fp += u * p.FPWeight
		} else if x := u * p.TPWeight / top; x > parts[w] {
			wins += x - parts[w]
			parts[w] = x
		}
	}
	if s := fp + wins; s > bestScore {
		best = cur
	}
	return best
}

// scoreAt scores sc.cols at threshold t.
func (sc *Scorer) scoreAt(p Profile, t float64) Result {
	res := Result{
		Profile:   p.Name,
		Threshold: t,
		Null:      -p.FNWeight * float64(sc.nScored),
		Perfect:   float64(sc.windows) * p.TPWeight,
		Files:     make([]FileResult, len(sc.files)),
	}
	top := maxTP()
	for f, sp := range sc.files {
		col := sc.cols[f]
		fr := FileResult{Name: sc.corpus.Series[f].Name}
		nwin := len(sc.corpus.Series[f].Windows)
		parts := sc.parts[sp.win0 : sp.win0+nwin]
		hit := sc.hit[sp.win0 : sp.win0+nwin]
		for k := range parts {
			parts[k], hit[k] = -p.FNWeight, false
		}
		fp := 0.0
		for i := sp.prob; i < sp.n; i++ {
			j := sp.off + i - sp.prob
			w, detected := sc.win[j], col[i] >= t
			switch {
			case w < 0 && detected:
				fp += sc.unw[j] * p.FPWeight
				fr.FP++
			case w < 0:
				fr.TN++
			case detected:
				fr.TP++
				k := int(w) - sp.win0
				hit[k] = true
				if x := sc.unw[j] * p.TPWeight / top; x > parts[k] {
					parts[k] = x
				}
			default:
				fr.FN++
			}
		}
		fr.Score = fp
		for k, part := range parts {
			if !sc.winScored[sp.win0+k] {
				continue
			}
			fr.Score += part
			if hit[k] {
				fr.WindowsHit++
			} else {
				fr.WindowsMissed++
			}
		}
		res.Files[f] = fr
		res.Score += fr.Score
		res.TP += fr.TP
		res.FP += fr.FP
		res.FN += fr.FN
		res.TN += fr.TN
		res.WindowsHit += fr.WindowsHit
		res.WindowsMissed += fr.WindowsMissed
	}
	res.Normalized = 100 * (res.Score - res.Null) / (res.Perfect - res.Null)
	return res
}
