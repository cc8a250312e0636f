package nab

import "math"

// ProbationaryPercent is the share of each series, counted from its start,
// that NAB does not score: detectors may use it to learn.
const ProbationaryPercent = 0.15

// probationaryCapRows bounds the probationary period: it never exceeds
// ProbationaryPercent of this many rows (750 rows).
const probationaryCapRows = 5000

// ProbationaryLength returns how many leading rows of a series of n rows
// are not scored: min(⌊0.15·n⌋, 0.15·5000), NAB v1.1's formula, computed in
// the same floating-point steps. Rows i ≥ ProbationaryLength(n) are scored.
func ProbationaryLength(n int) int {
	return int(math.Min(math.Floor(ProbationaryPercent*float64(n)), ProbationaryPercent*probationaryCapRows))
}

// ScaledSigmoid returns NAB's scaled sigmoid of a relative position x:
//
//	σ(x) = 2/(1+e^{5x}) − 1 for x ≤ 3,   σ(x) = −1 for x > 3.
//
// x = −1 is a window's first row, σ(−1) ≈ 0.98661; x = 0 its right edge,
// σ(0) = 0; x > 0 lies past the window, σ(1) ≈ −0.98661. ScaledSigmoid(NaN)
// is NaN.
func ScaledSigmoid(x float64) float64 {
	if x > 3 {
		return -1
	}
	return 2*sigmoid(-5*x) - 1
}

// sigmoid is the logistic function 1/(1+e^{−x}).
func sigmoid(x float64) float64 {
	return 1 / (1 + math.Exp(-x))
}

// maxTP returns σ(−1), the unweighted worth of a detection at a window's
// first row; NAB divides true-positive worths by it.
func maxTP() float64 { return ScaledSigmoid(-1) }

// sweepRows sets, for every row i of s, win[i] to winBase plus the index of
// the window holding the row, or to -1 outside windows, and unw[i] to the
// row's unweighted worth as a detection: σ(−(R−i+1)/W) inside a window of
// width W ending at row R, σ((i−R')/(W'−1)) past a window of width W' ending
// at row R', and −1 before the first window. This is NAB's sweeper, which
// enters a window at its First row and leaves it after its Last. A window of
// one row would make NAB divide by zero for later rows; here they get −1,
// as if far away.
func sweepRows(s *Series, winBase int32, win []int32, unw []float64) {
	prevRight, prevWidth := -1, 0.0
	next, cur := 0, -1
	for i := range s.Timestamps {
		if cur < 0 && next < len(s.Windows) && i == s.Windows[next].First {
			cur = next
			next++
		}
		if cur >= 0 {
			w := &s.Windows[cur]
			width := float64(w.Last - w.First + 1)
			win[i] = winBase + int32(cur)
			unw[i] = ScaledSigmoid(-float64(w.Last-i+1) / width)
			if i == w.Last {
				prevRight, prevWidth, cur = i, width, -1
			}
			continue
		}
		win[i] = -1
		if prevRight < 0 {
			unw[i] = -1
		} else {
			unw[i] = ScaledSigmoid(float64(i-prevRight) / (prevWidth - 1))
		}
	}
}

// RowScores returns in dst the worth S(t) of a detection at each row of s
// under profile p, the S(t)_<profile> column NAB appends to results files:
// A_TP·σ(−(R−i+1)/W)/σ(−1) inside windows, A_FP·σ(·) outside (see
// ScaledSigmoid and the package documentation). Probationary rows get their
// worth too, although they are never scored. An empty dst is sized for you;
// RowScores panics if dst is not empty and its length is not s.Len().
func RowScores(dst []float64, s *Series, p Profile) []float64 {
	n := s.Len()
	if len(dst) == 0 {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		panic("nab: RowScores: len(dst) != s.Len()")
	}
	win := make([]int32, n)
	sweepRows(s, 0, win, dst)
	top := maxTP()
	for i, u := range dst {
		if win[i] >= 0 {
			dst[i] = u * p.TPWeight / top
		} else {
			dst[i] = u * p.FPWeight
		}
	}
	return dst
}
