package detect

import (
	"math"
	"testing"
)

func TestMetrics(t *testing.T) {
	// scikit-learn documentation examples.
	const tol = 1e-12
	scores := []float64{0.1, 0.4, 0.35, 0.8}
	labels := []bool{false, false, true, true}
	if got := ROCAUC(scores, labels); math.Abs(got-0.75) > tol {
		t.Errorf("ROCAUC = %v, want 0.75", got)
	}
	if got := PRAUC(scores, labels); math.Abs(got-0.8333333333333333) > tol {
		t.Errorf("PRAUC = %v, want 0.8333", got)
	}
	tied := []float64{1, 1, 1, 1}
	if got := ROCAUC(tied, labels); got != 0.5 {
		t.Errorf("ROCAUC(all tied) = %v, want 0.5", got)
	}
	if got := PRAUC(tied, labels); got != 0.5 {
		t.Errorf("PRAUC(all tied) = %v, want 0.5", got)
	}
	if got := ROCAUC(scores, []bool{true, true, true, true}); !math.IsNaN(got) {
		t.Errorf("ROCAUC(one class) = %v, want NaN", got)
	}
	p, r, f := PrecisionRecallF1([]bool{true, true, false, false}, []bool{true, false, true, false})
	if p != 0.5 || r != 0.5 || f != 0.5 {
		t.Errorf("PrecisionRecallF1 = %v %v %v, want 0.5 each", p, r, f)
	}
	if p, r, f := PrecisionRecallF1([]bool{false}, []bool{false}); p != 0 || r != 0 || f != 0 {
		t.Errorf("PrecisionRecallF1(no positives) = %v %v %v", p, r, f)
	}
	defer func() {
		if recover() == nil {
			t.Error("ROCAUC with mismatched lengths did not panic")
		}
	}()
	ROCAUC(scores, labels[:2])
}

func TestCombine(t *testing.T) {
	scores := [][]float64{{0.9, 0.1}, {0.7, 0.2}, {0.2, 0.3}, {0.4, 0.0}}
	flags := [][]bool{{true, false}, {true, false}, {false, false}, {false, false}}
	const tol = 1e-12
	f := func(strategy string, weights []float64, want0 float64, anom0 bool) {
		t.Helper()
		c, err := Combine(strategy, scores, flags, weights)
		if err != nil {
			t.Fatalf("%s: %v", strategy, err)
		}
		if math.Abs(c.Scores[0]-want0) > tol || c.IsAnomaly[0] != anom0 || c.Votes[0] != 2 || c.IsAnomaly[1] {
			t.Errorf("%s: got %v %v %v, want score %v anomaly %v votes 2", strategy, c.Scores, c.IsAnomaly, c.Votes, want0, anom0)
		}
	}
	f(CombineAverage, nil, 0.55, true)
	f(CombineMax, nil, 0.9, true)
	f(CombineWeighted, []float64{1, 0, 0, 1}, 0.65, true)
	f(CombineWeighted, []float64{0, 0, 1, 1}, 0.3, false)
	f(CombineMajority, nil, (2+0.55)/5, false)
	f(CombineUnanimous, nil, (2+0.55)/5, false)
	f(CombineAny, nil, (2+0.55)/5, true)
	// Two buckets {0,1} and {2,3}: max 0.9 and 0.4 → 0.65; flags 1 and 0.
	f(CombineAverageOfMaximum, nil, 0.65, true)

	bad := func(strategy string, s [][]float64, fl [][]bool, w []float64) {
		t.Helper()
		if _, err := Combine(strategy, s, fl, w); err == nil {
			t.Errorf("Combine(%s, %v, %v) = nil error", strategy, s, w)
		}
	}
	bad("median", scores, flags, nil)
	bad(CombineWeighted, scores, flags, nil)
	bad(CombineWeighted, scores, flags, []float64{1, -1, 1, 1})
	bad(CombineWeighted, scores, flags, []float64{0, 0, 0, 0})
	bad(CombineAverage, nil, nil, nil)
	bad(CombineAverage, [][]float64{{1.5}}, [][]bool{{true}}, nil)
	bad(CombineAverage, [][]float64{{0.5}, {0.5, 0.1}}, [][]bool{{true}, {true, false}}, nil)
}
