package detect

import (
	"fmt"
	"math"
)

// Combination strategies accepted by Combine and the Ensemble algorithm.
const (
	CombineAverage          = "average"
	CombineMax              = "max"
	CombineWeighted         = "weighted"
	CombineMajority         = "majority"
	CombineUnanimous        = "unanimous"
	CombineAny              = "any"
	CombineAverageOfMaximum = "average_of_maximum"
)

// Strategies lists the combination strategies in catalogue order.
func Strategies() []string {
	return []string{CombineAverage, CombineMax, CombineWeighted, CombineMajority, CombineUnanimous, CombineAny, CombineAverageOfMaximum}
}

// Combination is the per-row result of Combine.
type Combination struct {
	Scores    []float64 `json:"scores"`     // combined score in [0, 1]
	IsAnomaly []bool    `json:"is_anomaly"` // combined flag
	Votes     []int     `json:"votes"`      // detectors flagging the row
}

// Combine merges the outputs of m detectors over the same rows: scores[k][i]
// is detector k's anomaly_score (0–1) of row i and flags[k][i] its
// is_anomaly. Votes counts the detectors that flag a row. Per strategy:
//
//   - average: mean score; anomalous when at least half the detectors flag it.
//   - max: largest score; anomalous when any detector flags it.
//   - weighted: weighted mean score (weights required: one per detector,
//     finite, ≥ 0, positive sum); anomalous when flagging detectors hold at
//     least half the weight.
//   - average_of_maximum: detectors are split, in order, into ceil(√m)
//     consecutive buckets of near-equal size; the score is the mean over
//     buckets of the bucket maximum, and a row is anomalous when that same
//     combination of the 0/1 flags is at least 0.5.
//   - majority, unanimous, any: anomalous when more than half, all, or at
//     least one detector flags the row; the score is (votes + mean score) /
//     (m + 1), so rows rank by votes and then by mean score.
//
// Weights must be nil for the other strategies or valid as above. An unknown
// strategy, no detectors, ragged lengths, a score outside [0, 1] or invalid
// weights give an error.
func Combine(strategy string, scores [][]float64, flags [][]bool, weights []float64) (Combination, error) {
	m := len(scores)
	if m == 0 {
		return Combination{}, fmt.Errorf("combine: %w: no detectors", ErrEmpty)
	}
	if len(flags) != m {
		return Combination{}, fmt.Errorf("combine: %d score lists but %d flag lists", m, len(flags))
	}
	if err := checkStrategy(strategy, weights, m); err != nil {
		return Combination{}, fmt.Errorf("combine: %w", err)
	}
	n := len(scores[0])
	for k := range scores {
		if len(scores[k]) != n || len(flags[k]) != n {
			return Combination{}, fmt.Errorf("combine: detector %d has %d scores and %d flags, want %d", k, len(scores[k]), len(flags[k]), n)
		}
		for i, v := range scores[k] {
			if !(v >= 0 && v <= 1) {
				return Combination{}, fmt.Errorf("combine: detector %d row %d: score %v outside [0, 1]", k, i, v)
			}
		}
	}
	out := Combination{Scores: make([]float64, n), IsAnomaly: make([]bool, n), Votes: make([]int, n)}
	q := make([]float64, m)
	f := make([]bool, m)
	for i := 0; i < n; i++ {
		for k := 0; k < m; k++ {
			q[k], f[k] = scores[k][i], flags[k][i]
		}
		out.Scores[i], out.IsAnomaly[i], out.Votes[i] = combineRow(strategy, q, f, weights)
	}
	return out, nil
}

// checkStrategy validates a strategy name and its weights for m detectors.
func checkStrategy(strategy string, weights []float64, m int) error {
	known := false
	for _, s := range Strategies() {
		known = known || s == strategy
	}
	if !known {
		return &ParamError{Field: "combination", Issue: fmt.Sprintf("Unknown strategy %q; allowed: %v", strategy, Strategies())}
	}
	if strategy != CombineWeighted && weights == nil {
		return nil
	}
	if len(weights) != m {
		return &ParamError{Field: "weights", Issue: fmt.Sprintf("Need one weight per detector: got %d for %d detectors", len(weights), m)}
	}
	var sum float64
	for _, w := range weights {
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return &ParamError{Field: "weights", Issue: "Each weight must be finite and at least 0"}
		}
		sum += w
	}
	if sum <= 0 {
		return &ParamError{Field: "weights", Issue: "Weights must have a positive sum"}
	}
	return nil
}

// combineRow combines one row; it does not allocate.
func combineRow(strategy string, q []float64, f []bool, weights []float64) (float64, bool, int) {
	m := len(q)
	votes := 0
	var mean float64
	for k := range q {
		mean += q[k]
		if f[k] {
			votes++
		}
	}
	mean /= float64(m)
	voteScore := (float64(votes) + mean) / float64(m+1)
	switch strategy {
	case CombineMax:
		var s float64
		for _, v := range q {
			s = math.Max(s, v)
		}
		return s, votes > 0, votes
	case CombineWeighted:
		var s, wf, wt float64
		for k, v := range q {
			s += weights[k] * v
			wt += weights[k]
			if f[k] {
				wf += weights[k]
			}
		}
		return s / wt, 2*wf >= wt, votes
	case CombineAverageOfMaximum:
		b := int(math.Ceil(math.Sqrt(float64(m))))
		var s, fs float64
		for g := 0; g < b; g++ {
			lo, hi := g*m/b, (g+1)*m/b
			var mq, mf float64
			for k := lo; k < hi; k++ {
				mq = math.Max(mq, q[k])
				if f[k] {
					mf = 1
				}
			}
			s += mq
			fs += mf
		}
		return s / float64(b), 2*fs >= float64(b), votes
	case CombineMajority:
		return voteScore, 2*votes > m, votes
	case CombineUnanimous:
		return voteScore, votes == m, votes
	case CombineAny:
		return voteScore, votes > 0, votes
	}
	return mean, 2*votes >= m, votes
}
