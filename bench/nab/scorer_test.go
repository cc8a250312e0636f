package nab

import (
	"math"
	"strings"
	"testing"
	"time"
)

// tol bounds float differences in hand-computed cases: the formulas are the
// scorer's own, so only the last bits of exp may differ.
const tol = 1e-12

// Hand-computed values: σ(x) = 2/(1+e^{5x}) − 1 = −tanh(5x/2).
const (
	sigmaMinus1   = 0.9866142981514303  // σ(−1) = tanh(2.5), a window's first row
	sigmaMinusTen = 0.24491866240370913 // σ(−0.1) = tanh(0.25), last row of a 10-row window
	sigmaNinth    = -0.2708471185167214 // σ(1/9) = −tanh(5/18), one row past a 10-row window
	sigma3        = -0.9999993881955461 // σ(3) = −tanh(7.5)
	sigmaHalf     = 0.8482836399575129  // σ(−0.5) = tanh(1.25), NAB's doc: 0.84828
)

var t0 = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// MustSeries returns a series of n rows one minute apart with windows over
// the given [first, last] row pairs.
func MustSeries(tb testing.TB, name string, n int, windows ...[2]int) *Series {
	tb.Helper()
	s := &Series{Name: name, Timestamps: make([]time.Time, n), Values: make([]float64, n)}
	for i := range n {
		s.Timestamps[i] = t0.Add(time.Duration(i) * time.Minute)
		s.Values[i] = float64(i % 7)
	}
	for _, w := range windows {
		s.Windows = append(s.Windows, Window{Start: s.Timestamps[w[0]], End: s.Timestamps[w[1]]})
	}
	return s
}

// MustCorpus makes a corpus of series.
func MustCorpus(tb testing.TB, series ...*Series) *Corpus {
	tb.Helper()
	c, err := NewCorpus(series)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// detections returns n anomaly scores, 1 at the given rows and 0 elsewhere.
func detections(n int, rows ...int) []float64 {
	v := make([]float64, n)
	for _, r := range rows {
		v[r] = 1
	}
	return v
}

func TestScaledSigmoid(t *testing.T) {
	f := func(x, want float64) {
		t.Helper()
		if got := ScaledSigmoid(x); math.Abs(got-want) > tol {
			t.Errorf("ScaledSigmoid(%v) = %.17g, want %.17g", x, got, want)
		}
	}
	f(-1, sigmaMinus1)
	f(-0.5, sigmaHalf)
	f(-0.1, sigmaMinusTen)
	f(0, 0)
	f(1, -sigmaMinus1)
	f(1.0/9, sigmaNinth)
	f(3, sigma3)
	f(3.0000001, -1)
	f(100, -1)
	f(-100, 1)
	if got := ScaledSigmoid(math.NaN()); !math.IsNaN(got) {
		t.Errorf("ScaledSigmoid(NaN) = %v, want NaN", got)
	}
}

func TestProbationaryLength(t *testing.T) {
	f := func(n, want int) {
		t.Helper()
		if got := ProbationaryLength(n); got != want {
			t.Errorf("ProbationaryLength(%d) = %d, want %d", n, got, want)
		}
	}
	f(0, 0)
	f(1, 0)
	f(6, 0)
	f(7, 1)
	f(20, 3) // 0.15·20 is 3.0000000000000004 in binary; floor is 3
	f(100, 15)
	f(1127, 169) // realTraffic/speed_7578.csv
	f(4032, 604)
	f(5000, 750)
	f(5001, 750)
	f(22695, 750) // capped
}

// TestScoreAtThreshold scores one 100-row series with a window over rows
// 40..49 (W = 10) under the standard profile; rows 0..14 are probationary.
func TestScoreAtThreshold(t *testing.T) {
	const n = 100
	std := DefaultProfiles()[0]
	lowFN := DefaultProfiles()[2]
	c := MustCorpus(t, MustSeries(t, "cat/a.csv", n, [2]int{40, 49}))
	for _, tc := range []struct {
		name           string
		p              Profile
		rows           []int // detections
		want           float64
		tp, fp, fn, tn int
	}{
		{"Nothing", std, nil, -1, 0, 0, 10, 75},
		{"HitAtStart", std, []int{40}, 1, 1, 0, 9, 75},
		{"HitAtEnd", std, []int{49}, sigmaMinusTen / sigmaMinus1, 1, 0, 9, 75},
		{"EarliestHitCounts", std, []int{45, 40, 49}, 1, 3, 0, 7, 75},
		{"MissedWindowLowFN", lowFN, nil, -2, 0, 0, 10, 75},
		{"FPBeforeAnyWindow", std, []int{40, 20}, 1 - 0.11, 1, 1, 9, 74},
		{"FPJustAfterWindow", std, []int{40, 50}, 1 + 0.11*sigmaNinth, 1, 1, 9, 74},
		{"FPThreeWidthsAfter", std, []int{40, 49 + 27}, 1 + 0.11*sigma3, 1, 1, 9, 74},
		{"FPFarAfter", std, []int{40, 49 + 28}, 1 - 0.11, 1, 1, 9, 74},
		{"ProbationaryIgnored", std, []int{0, 7, 14}, -1, 0, 0, 10, 75},
		{"FirstScoredRow", std, []int{14, 15}, -1 - 0.11, 0, 1, 10, 74},
	} {
		t.Run(tc.name, func(t *testing.T) {
			scores := map[string][]float64{"cat/a.csv": detections(n, tc.rows...)}
			res, err := ScoreAtThreshold(c, scores, tc.p, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(res.Score-tc.want) > tol {
				t.Errorf("Score = %.17g, want %.17g", res.Score, tc.want)
			}
			if res.TP != tc.tp || res.FP != tc.fp || res.FN != tc.fn || res.TN != tc.tn {
				t.Errorf("TP, FP, FN, TN = %d, %d, %d, %d, want %d, %d, %d, %d",
					res.TP, res.FP, res.FN, res.TN, tc.tp, tc.fp, tc.fn, tc.tn)
			}
			wantNull := -tc.p.FNWeight
			wantNorm := 100 * (tc.want - wantNull) / (1 - wantNull)
			if res.Null != wantNull || res.Perfect != 1 || math.Abs(res.Normalized-wantNorm) > 1e-9 {
				t.Errorf("Null, Perfect, Normalized = %v, %v, %v, want %v, 1, %v", res.Null, res.Perfect, res.Normalized, wantNull, wantNorm)
			}
			hit := 0
			if tc.tp > 0 {
				hit = 1
			}
			if res.WindowsHit != hit || res.WindowsMissed != 1-hit {
				t.Errorf("WindowsHit, WindowsMissed = %d, %d, want %d, %d", res.WindowsHit, res.WindowsMissed, hit, 1-hit)
			}
			if len(res.Files) != 1 || res.Files[0].Score != res.Score || res.Files[0].Name != "cat/a.csv" {
				t.Errorf("Files = %+v, want one file scoring %v", res.Files, res.Score)
			}
		})
	}
}

func TestScoreAtThresholdBoundaries(t *testing.T) {
	const n = 100
	std := DefaultProfiles()[0]
	c := MustCorpus(t, MustSeries(t, "cat/a.csv", n, [2]int{40, 49}))
	scores := map[string][]float64{"cat/a.csv": make([]float64, n)}
	scores["cat/a.csv"][40] = 0.7
	f := func(threshold, want float64) {
		t.Helper()
		res, err := ScoreAtThreshold(c, scores, std, threshold)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.Score-want) > tol {
			t.Errorf("ScoreAtThreshold(%v).Score = %v, want %v", threshold, res.Score, want)
		}
	}
	f(0.7, 1) // at the threshold is a detection
	f(math.Nextafter(0.7, 1), -1)
	f(NeverThreshold, -1)
	// Everything fires: the window is hit at its start, rows 15..39 are
	// false positives before any window and rows 50..99 after it.
	after := 0.0
	for i := 50; i <= 99; i++ {
		after += ScaledSigmoid(float64(i-49) / 9)
	}
	f(0, 1-0.11*25+0.11*after)
}

// TestWindowsAndProbation covers windows inside the probationary period,
// windows that straddle it, several windows and several files.
func TestWindowsAndProbation(t *testing.T) {
	std := DefaultProfiles()[0]
	// 100 rows, probation 15: the window 5..10 is never scored, the window
	// 12..21 (W = 10) is scored from row 15 on.
	a := MustSeries(t, "cat/a.csv", 100, [2]int{5, 10}, [2]int{12, 21}, [2]int{60, 69})
	b := MustSeries(t, "cat/b.csv", 40) // probation 6, no window
	c := MustCorpus(t, b, a)
	if c.Series[0] != a || c.Series[1] != b {
		t.Fatalf("NewCorpus did not sort series by name")
	}
	scores := map[string][]float64{
		"cat/a.csv": detections(100, 7, 15, 22, 61),
		"cat/b.csv": detections(40, 30),
	}
	res, err := ScoreAtThreshold(c, scores, std, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Row 7: probationary. Row 15 in window 12..21: σ(−(21−15+1)/10)/σ(−1).
	// Row 22: one past window 12..21: 0.11·σ(1/9). Row 61 in window 60..69:
	// σ(−9/10)/σ(−1). Row 30 of b: 0.11·(−1).
	wantA := ScaledSigmoid(-0.7)/sigmaMinus1 + 0.11*sigmaNinth + ScaledSigmoid(-0.9)/sigmaMinus1
	wantB := -0.11
	if got := res.Files[0].Score; math.Abs(got-wantA) > tol {
		t.Errorf("a.csv Score = %.17g, want %.17g", got, wantA)
	}
	if got := res.Files[1].Score; math.Abs(got-wantB) > tol {
		t.Errorf("b.csv Score = %.17g, want %.17g", got, wantB)
	}
	if res.Null != -2 || res.Perfect != 3 {
		t.Errorf("Null, Perfect = %v, %v, want -2 (two scored windows), 3 (three windows)", res.Null, res.Perfect)
	}
	if res.WindowsHit != 2 || res.WindowsMissed != 0 {
		t.Errorf("WindowsHit, WindowsMissed = %d, %d, want 2, 0", res.WindowsHit, res.WindowsMissed)
	}
	// Rows 15..21 and 60..69 are scored window rows: 17, 2 of them hit.
	if res.TP != 2 || res.FN != 15 || res.FP != 2 || res.TN != (85-17-1)+(34-1) {
		t.Errorf("TP, FP, FN, TN = %d, %d, %d, %d", res.TP, res.FP, res.FN, res.TN)
	}
}

func TestScoreOptimum(t *testing.T) {
	const n = 100
	std := DefaultProfiles()[0]
	c := MustCorpus(t, MustSeries(t, "cat/a.csv", n, [2]int{40, 49}))
	f := func(name string, set map[int]float64, wantThreshold, wantScore float64) {
		t.Helper()
		v := make([]float64, n)
		for i, x := range set {
			v[i] = x
		}
		res, err := Score(c, map[string][]float64{"cat/a.csv": v}, std)
		if err != nil {
			t.Fatal(err)
		}
		if res.Threshold != wantThreshold || math.Abs(res.Score-wantScore) > tol {
			t.Errorf("%s: Score = threshold %v, score %v, want %v, %v", name, res.Threshold, res.Score, wantThreshold, wantScore)
		}
	}
	// 1.1 → −1; 0.95 → −1.11; 0.9 → 0.89; 0 → everything fires.
	f("Best", map[int]float64{40: 0.9, 20: 0.95}, 0.9, 1-0.11)
	// 0.9 and 0.8 both score 1 (row 41 adds nothing to row 40): the higher wins.
	f("TieHighestWins", map[int]float64{40: 0.9, 41: 0.8}, 0.9, 1)
	// A lone false positive: never firing is best.
	f("Never", map[int]float64{20: 0.9}, NeverThreshold, -1)
	// Probationary rows take no part: their score 1 is no threshold.
	f("ProbationIgnored", map[int]float64{3: 1, 40: 0.5}, 0.5, 1)
}

// TestScoreMatchesScoreAtThreshold checks on a random corpus that the
// sweep's best score is the score at its threshold, and no threshold
// scores better.
func TestScoreMatchesScoreAtThreshold(t *testing.T) {
	c, scores := syntheticCorpus(t, 6, 3000, 1)
	for _, p := range DefaultProfiles() {
		sc := NewScorer(c)
		best, err := sc.Score(scores, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range []float64{0, 0.5, 0.9, 0.99, 0.999, best.Threshold, NeverThreshold} {
			res, err := sc.ScoreAtThreshold(scores, p, th)
			if err != nil {
				t.Fatal(err)
			}
			if res.Score > best.Score+tol {
				t.Errorf("%s: ScoreAtThreshold(%v) = %v beats Score's %v at %v", p.Name, th, res.Score, best.Score, best.Threshold)
			}
			if th == best.Threshold && res.Score != best.Score {
				t.Errorf("%s: ScoreAtThreshold(%v) = %v, Score = %v", p.Name, th, res.Score, best.Score)
			}
		}
		// Every distinct score is a candidate: compare with brute force
		// over a sample of them.
		for _, s := range c.Series {
			for i := ProbationaryLength(s.Len()); i < s.Len(); i += 97 {
				th := scores[s.Name][i]
				res, err := sc.ScoreAtThreshold(scores, p, th)
				if err != nil {
					t.Fatal(err)
				}
				if res.Score > best.Score+tol {
					t.Fatalf("%s: ScoreAtThreshold(%v) = %v beats Score's %v at %v", p.Name, th, res.Score, best.Score, best.Threshold)
				}
			}
		}
	}
}

func TestScoreErrors(t *testing.T) {
	const n = 50
	std := DefaultProfiles()[0]
	c := MustCorpus(t, MustSeries(t, "cat/a.csv", n, [2]int{20, 25}))
	bad := func(v float64) []float64 {
		s := make([]float64, n)
		s[30] = v
		return s
	}
	for _, tc := range []struct {
		name    string
		scores  map[string][]float64
		p       Profile
		th      float64
		wantErr string
	}{
		{"ErrMissingSeries", map[string][]float64{"cat/b.csv": make([]float64, n)}, std, 0.5, "no scores for series cat/a.csv"},
		{"ErrLength", map[string][]float64{"cat/a.csv": make([]float64, n-1)}, std, 0.5, "49 scores for 50 rows"},
		{"ErrNaN", map[string][]float64{"cat/a.csv": bad(math.NaN())}, std, 0.5, "NaN at row 30 is not in [0, 1]"},
		{"ErrAboveOne", map[string][]float64{"cat/a.csv": bad(1.5)}, std, 0.5, "1.5 at row 30"},
		{"ErrNegative", map[string][]float64{"cat/a.csv": bad(-0.1)}, std, 0.5, "-0.1 at row 30"},
		{"ErrWeight", map[string][]float64{"cat/a.csv": make([]float64, n)}, Profile{Name: "x", FPWeight: math.Inf(1)}, 0.5, "fpWeight +Inf is not finite"},
		{"ErrThresholdNaN", map[string][]float64{"cat/a.csv": make([]float64, n)}, std, math.NaN(), "threshold is NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := NewScorer(c)
			_, err := sc.ScoreAtThreshold(tc.scores, tc.p, tc.th)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ScoreAtThreshold error = %v, want %q", err, tc.wantErr)
			}
			if math.IsNaN(tc.th) {
				return
			}
			if _, err := sc.Score(tc.scores, tc.p); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Score error = %v, want %q", err, tc.wantErr)
			}
		})
	}
	t.Run("OKExtraSeriesIgnored", func(t *testing.T) {
		scores := map[string][]float64{"cat/a.csv": make([]float64, n), "cat/zzz.csv": {2}}
		if _, err := Score(c, scores, std); err != nil {
			t.Errorf("Score = %v, want no error", err)
		}
	})
	t.Run("OKNegativeZero", func(t *testing.T) {
		if _, err := Score(c, map[string][]float64{"cat/a.csv": bad(math.Copysign(0, -1))}, std); err != nil {
			t.Errorf("Score = %v, want no error", err)
		}
	})
}

func TestRowScores(t *testing.T) {
	std := DefaultProfiles()[0]
	s := MustSeries(t, "cat/a.csv", 60, [2]int{40, 49})
	MustCorpus(t, s)
	got := RowScores(nil, s, std)
	f := func(i int, want float64) {
		t.Helper()
		if math.Abs(got[i]-want) > tol {
			t.Errorf("RowScores[%d] = %.17g, want %.17g", i, got[i], want)
		}
	}
	f(0, -0.11) // probationary rows get a worth too
	f(39, -0.11)
	f(40, 1)
	f(45, sigmaHalf/sigmaMinus1) // −(49−45+1)/10 = −0.5
	f(49, sigmaMinusTen/sigmaMinus1)
	f(50, 0.11*sigmaNinth)
	defer func() {
		if recover() == nil {
			t.Errorf("RowScores with a short dst did not panic")
		}
	}()
	RowScores(make([]float64, 3), s, std)
}

func TestOneRowWindow(t *testing.T) {
	// NAB divides by zero for false positives after a one-row window; here
	// they count as far away.
	std := DefaultProfiles()[0]
	c := MustCorpus(t, MustSeries(t, "cat/a.csv", 100, [2]int{40, 40}))
	res, err := ScoreAtThreshold(c, map[string][]float64{"cat/a.csv": detections(100, 40, 41)}, std, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res.Score-(1-0.11)) > tol {
		t.Errorf("Score = %v, want %v", res.Score, 1-0.11)
	}
}
