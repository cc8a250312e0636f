package tda

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
)

// TakensLen returns the number of points of the delay embedding of a series of n samples:
// n - (dim-1)*delay, or 0 if the series is too short.
func TakensLen(n, dim, delay int) int {
	return max(n-(dim-1)*delay, 0)
}

// TakensTo writes the delay embedding of series into dst and returns it: point i is
// (x[i], x[i+delay], ..., x[i+(dim-1)*delay]) for i = 0..m-1, m = TakensLen(len(series),
// dim, delay), stored row-major (point i is dst[i*dim:(i+1)*dim]). If dst is empty it is
// sized for you (reusing its capacity). series is not modified.
//
// TakensTo panics if dim < 1, delay < 1, or dst is not empty and its length is not m*dim.
func TakensTo(dst, series []float64, dim, delay int) []float64 {
	if dim < 1 || delay < 1 {
		panic(fmt.Sprintf("tda: Takens dimension %d and delay %d must be >= 1", dim, delay))
	}
	m := TakensLen(len(series), dim, delay)
	switch {
	case len(dst) == 0:
		dst = grow(dst, m*dim)
	case len(dst) != m*dim:
		panic(fmt.Sprintf("tda: Takens destination has length %d, want %d", len(dst), m*dim))
	}
	for i := range m {
		p := dst[i*dim : i*dim+dim]
		for k := range p {
			p[k] = series[i+k*delay]
		}
	}
	return dst
}

// DelayMethod selects how ChooseDelay picks a delay.
type DelayMethod int

const (
	// DelayMutualInformation picks the first local minimum of the auto mutual information
	// I(tau) between x[t] and x[t+tau] (Fraser and Swinney 1986), estimated with an
	// equal-width histogram of 16 bins over the range of the series and natural logs. If
	// I has no local minimum for tau <= maxLag it falls back to DelayAutocorrelation.
	DelayMutualInformation DelayMethod = iota
	// DelayAutocorrelation picks the first zero of the sample autocorrelation
	// r(tau) = sum_t (x[t]-m)(x[t+tau]-m) / sum_t (x[t]-m)^2: the first tau with
	// r(tau) <= 0, or tau-1 if |r(tau-1)| is smaller. If r stays positive up to maxLag it
	// returns maxLag.
	DelayAutocorrelation
)

// delayBins is the number of histogram bins per axis of the mutual information estimate.
const delayBins = 16

// ChooseDelay returns a Takens delay in [1, maxLag] for series by the given method. For a
// noisy sine of period P both methods give about P/4 (the mutual information of a
// noiseless periodic signal is nearly flat, so its first minimum is not meaningful there).
// A constant series, or one shorter than maxLag+2 samples, gives 1.
//
// ChooseDelay panics if maxLag < 1. It returns an error wrapping ErrNotFinite if a sample
// is NaN or infinite.
func ChooseDelay(series []float64, maxLag int, method DelayMethod) (int, error) {
	if maxLag < 1 {
		panic(fmt.Sprintf("tda: ChooseDelay maxLag %d must be >= 1", maxLag))
	}
	for i, x := range series {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("sample %d: %w", i, ErrNotFinite)
		}
	}
	if len(series) < maxLag+2 || stat.Variance(series, nil) == 0 {
		return 1, nil
	}
	if method == DelayMutualInformation {
		if tau := firstMinimumAMI(series, maxLag); tau > 0 {
			return tau, nil
		}
	}
	return firstZeroAutocorrelation(series, maxLag), nil
}

// firstMinimumAMI returns the first local minimum of the auto mutual information, or 0.
func firstMinimumAMI(x []float64, maxLag int) int {
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo, hi = min(lo, v), max(hi, v)
	}
	bins := make([]int, len(x))
	for i, v := range x {
		bins[i] = min(int((v-lo)/(hi-lo)*delayBins), delayBins-1)
	}
	var joint [delayBins][delayBins]float64
	var pa, pb [delayBins]float64
	ami := func(tau int) float64 {
		joint, pa, pb = [delayBins][delayBins]float64{}, [delayBins]float64{}, [delayBins]float64{}
		m := len(x) - tau
		w := 1 / float64(m)
		for t := 0; t < m; t++ {
			a, b := bins[t], bins[t+tau]
			joint[a][b] += w
			pa[a] += w
			pb[b] += w
		}
		s := 0.0
		for a := range joint {
			for b, p := range joint[a] {
				if p > 0 {
					s += p * math.Log(p/(pa[a]*pb[b]))
				}
			}
		}
		return s
	}
	curve := make([]float64, maxLag+1)
	curve[0] = math.Inf(1) // I(0) is the entropy of x, never below I(tau)
	for tau := 1; tau <= maxLag; tau++ {
		curve[tau] = ami(tau)
	}
	for tau := 1; tau < maxLag; tau++ {
		if curve[tau] < curve[tau-1] && curve[tau] <= curve[tau+1] {
			return tau
		}
	}
	return 0
}

// firstZeroAutocorrelation returns the lag nearest the first zero of the autocovariance
// (which has the sign of the autocorrelation), or maxLag.
func firstZeroAutocorrelation(x []float64, maxLag int) int {
	m := stat.Mean(x, nil)
	prev := 0.0
	for tau := 1; tau <= maxLag; tau++ {
		s := 0.0
		for t := 0; t+tau < len(x); t++ {
			s += (x[t] - m) * (x[t+tau] - m)
		}
		if s <= 0 {
			if tau > 1 && math.Abs(prev) < math.Abs(s) {
				return tau - 1
			}
			return tau
		}
		prev = s
	}
	return maxLag
}
