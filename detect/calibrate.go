package detect

import (
	"math"
	"slices"
)

// calibrationKnots bounds the quantiles of the training scores kept in a
// model to calibrate anomaly_score; between knots the CDF is linear, so
// anomaly_score is exact at the knots and within 1/1024 elsewhere.
const calibrationKnots = 1025

// calibration turns raw scores into the 0–1 anomaly_score, the anomaly flag
// and the confidence, all relative to the training scores.
type calibration struct {
	knots         []float64 // evenly spaced quantiles of the training scores
	threshold     float64   // (1 - contamination) quantile of the training scores
	contamination float64
	tau           float64 // anomaly_score of the threshold
}

// fitCalibration calibrates on the training scores (not modified).
func fitCalibration(train []float64, contamination float64) calibration {
	s := slices.Clone(train)
	sortFloats(s)
	c := calibration{
		knots:         quantileKnots(s, calibrationKnots),
		threshold:     quantileAt(s, 1-contamination),
		contamination: contamination,
	}
	c.tau = knotCDF(c.knots, c.threshold)
	return c
}

// anomalyScore is the empirical CDF of the training scores at s: the
// fraction of training rows scoring below s (ties count half).
func (c *calibration) anomalyScore(s float64) float64 { return knotCDF(c.knots, s) }

// confidence says how far the decision is from the threshold in calibrated
// units: 0.5 at the threshold, 1 at the extremes (anomaly_score 0 for a
// normal row, 1 for an anomalous one).
func (c *calibration) confidence(q float64, anomalous bool) float64 {
	var r float64
	if anomalous {
		if d := 1 - c.tau; d > 0 {
			r = (q - c.tau) / d
		} else {
			r = 1
		}
	} else {
		if c.tau > 0 {
			r = (c.tau - q) / c.tau
		} else {
			r = 1
		}
	}
	return 0.5 + 0.5*math.Max(0, math.Min(1, r))
}

func (c *calibration) encodeTo(e *encoder) {
	e.f64s(c.knots)
	e.f64(c.threshold)
	e.f64(c.contamination)
}

func decodeCalibration(d *decoder) calibration {
	c := calibration{knots: d.f64s(), threshold: d.f64(), contamination: d.f64()}
	if d.err == nil && (len(c.knots) == 0 || !slices.IsSorted(c.knots)) {
		d.fail("calibration knots unsorted or empty")
	}
	c.tau = knotCDF(c.knots, c.threshold)
	return c
}
