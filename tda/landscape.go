package tda

import "fmt"

// MaxLandscapes bounds k in LandscapeTo: the per-point selection keeps k values.
const MaxLandscapes = 64

// GridTo writes resolution evenly spaced values from a to b into dst and returns it, the
// way numpy.linspace does: x_j = a + j*step with step = (b-a)/(resolution-1), and the
// last value exactly b. If dst is empty it is sized for you.
//
// GridTo panics if resolution < 2 or dst is not empty and its length is not resolution.
func GridTo(dst []float64, a, b float64, resolution int) []float64 {
	if resolution < 2 {
		panic(fmt.Sprintf("tda: grid resolution %d must be >= 2", resolution))
	}
	switch {
	case len(dst) == 0:
		dst = grow(dst, resolution)
	case len(dst) != resolution:
		panic(fmt.Sprintf("tda: grid destination has length %d, want %d", len(dst), resolution))
	}
	div := float64(resolution - 1)
	step := (b - a) / div
	for j := range dst {
		if step == 0 {
			dst[j] = float64(j)/div*(b-a) + a
		} else {
			dst[j] = float64(j)*step + a
		}
	}
	dst[resolution-1] = b
	return dst
}

// LandscapeTo evaluates the first k persistence landscapes of the finite bars on the grid
// GridTo(nil, a, b, resolution) and writes them into dst, landscape i (1-based) at
// dst[(i-1)*resolution : i*resolution], and returns dst. Bubenik's landscape is
// lambda_i(t) = the i-th largest value of max(0, min(t - Birth, Death - t)) over the
// finite bars, 0 when there are fewer than i bars. If dst is empty it is sized for you.
//
// LandscapeTo panics if k < 1, k > MaxLandscapes, resolution < 2, or dst is not empty and
// its length is not k*resolution.
func LandscapeTo(dst []float64, bars []Bar, k, resolution int, a, b float64) []float64 {
	if k < 1 || k > MaxLandscapes {
		panic(fmt.Sprintf("tda: landscape count %d must be in [1, %d]", k, MaxLandscapes))
	}
	if resolution < 2 {
		panic(fmt.Sprintf("tda: landscape resolution %d must be >= 2", resolution))
	}
	switch {
	case len(dst) == 0:
		dst = grow(dst, k*resolution)
	case len(dst) != k*resolution:
		panic(fmt.Sprintf("tda: landscape destination has length %d, want %d", len(dst), k*resolution))
	}
	var top [MaxLandscapes]float64
	div := float64(resolution - 1)
	step := (b - a) / div
	for j := range resolution {
		t := float64(j)*step + a
		switch {
		case j == resolution-1:
			t = b
		case step == 0:
			t = float64(j)/div*(b-a) + a
		}
		best := top[:k]
		clear(best)
		for _, bar := range bars {
			if !bar.Finite() {
				continue
			}
			v := min(t-bar.Birth, bar.Death-t)
			if v <= best[k-1] {
				continue
			}
			// Insert v into the descending list best, dropping the smallest.
			i := k - 1
			for i > 0 && best[i-1] < v {
				best[i] = best[i-1]
				i--
			}
			best[i] = v
		}
		for i, v := range best {
			dst[i*resolution+j] = v
		}
	}
	return dst
}
