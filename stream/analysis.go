package stream

import (
	"math"
	"strconv"

	"github.com/topoforge/topoforge/jsonw"
)

// Analysis is the result of one analysed window. Push fills every field. Landscape's
// slices alias the Analyzer's buffers: they are valid until the next call of a method of
// the Analyzer; copy them to keep them.
type Analysis struct {
	// IsAnomaly reports Scores.Total >= Config.AnomalyThreshold. It is false while alerts
	// are suppressed after an alert; during the warmup only the early detector can set it.
	IsAnomaly bool
	// AnomalyScore equals Scores.Total.
	AnomalyScore float64
	// Scores are the total and component scores, each in [0, 100].
	Scores Scores
	// Betti are the Betti numbers of the window: bars longer than BettiEpsilon
	// scale units (an infinite bar always counts). H2 is 0 unless MaxDim is 2.
	Betti BettiNumbers
	// Entropy is the persistence entropy of the finite bars of all dimensions pooled
	// (natural log; tda.PooledEntropy), >= 0.
	Entropy float64
	// TotalLifetime is the sum of the lifetimes of the finite bars of all dimensions, in
	// scale units (see the package documentation).
	TotalLifetime float64
	// Landscape is the first persistence landscape of the highest computed homology
	// dimension, in scale units, on LandscapeResolution points spanning the finite bars.
	Landscape Landscape
	// Warmup reports that the window fell in the warmup: the component scores are 0 and
	// Total is the score of the early detector, which only flags samples far outside the
	// range of all earlier ones (see the package documentation). It is not part of the
	// wire format of AppendJSON.
	Warmup bool
	// Sample is the number of samples pushed so far, including the one that completed
	// this window. It is not part of the wire format of AppendJSON.
	Sample int64
}

// Scores are the total score and its three components, each in [0, 100]: how unusual
// the window is relative to the stream's own history (see the package documentation).
type Scores struct {
	// Total is the anomaly score: the mean of the component surprises (negative
	// log-likelihoods of the window's features under the stream's recent history)
	// weighted by Config.Weights, mapped to [0, 100].
	Total float64 `json:"total"`
	// Betti scores the persistence of the H0 and H1 bars against their history.
	Betti float64 `json:"betti"`
	// Entropy scores the persistence entropy against its history.
	Entropy float64 `json:"entropy"`
	// ML scores the window's statistical features (its level and recent level) with the
	// online histogram model.
	ML float64 `json:"ml"`
}

// BettiNumbers count the bars of each homology dimension longer than BettiEpsilon scale
// units.
type BettiNumbers struct {
	H0 int `json:"h0"`
	H1 int `json:"h1"`
	H2 int `json:"h2"`
}

// Landscape is a persistence landscape sampled on a grid: Y[j] is its value at X[j].
type Landscape struct {
	X []float64 `json:"x"`
	Y []float64 `json:"y"`
}

// MarshalJSON encodes a as AppendJSON does.
func (a Analysis) MarshalJSON() ([]byte, error) {
	return a.AppendJSON(nil), nil
}

// AppendJSON appends the JSON object of a in the wire format of the "data" member of an
// "analysis" message (spec/stream-api.md) to dst and returns it:
//
//	{"is_anomaly":..,"anomaly_score":..,"scores":{"total":..,"betti":..,"entropy":..,"ml":..},
//	 "betti_numbers":{"h0":..,"h1":..,"h2":..},
//	 "topology_features":{"entropy":..,"total_lifetime":..,"landscape":{"x":[..],"y":[..]}}}
//
// Scalars use the shortest decimal that round-trips; the landscape's x and y are rounded to
// LandscapeDecimals decimals (scale units: 1e-6 of the window's scale is below anything the
// curve shows, and formatting them is most of the encoding's cost). A non-finite value (never
// produced by Push) is written as 0. It does not allocate when dst has room.
func (a *Analysis) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"is_anomaly":`...)
	dst = strconv.AppendBool(dst, a.IsAnomaly)
	dst = append(dst, `,"anomaly_score":`...)
	dst = appendNumber(dst, a.AnomalyScore)
	dst = append(dst, `,"scores":{"total":`...)
	dst = appendNumber(dst, a.Scores.Total)
	dst = append(dst, `,"betti":`...)
	dst = appendNumber(dst, a.Scores.Betti)
	dst = append(dst, `,"entropy":`...)
	dst = appendNumber(dst, a.Scores.Entropy)
	dst = append(dst, `,"ml":`...)
	dst = appendNumber(dst, a.Scores.ML)
	dst = append(dst, `},"betti_numbers":{"h0":`...)
	dst = strconv.AppendInt(dst, int64(a.Betti.H0), 10)
	dst = append(dst, `,"h1":`...)
	dst = strconv.AppendInt(dst, int64(a.Betti.H1), 10)
	dst = append(dst, `,"h2":`...)
	dst = strconv.AppendInt(dst, int64(a.Betti.H2), 10)
	dst = append(dst, `},"topology_features":{"entropy":`...)
	dst = appendNumber(dst, a.Entropy)
	dst = append(dst, `,"total_lifetime":`...)
	dst = appendNumber(dst, a.TotalLifetime)
	dst = append(dst, `,"landscape":{"x":`...)
	dst = appendFixed(dst, a.Landscape.X)
	dst = append(dst, `,"y":`...)
	dst = appendFixed(dst, a.Landscape.Y)
	return append(dst, "}}}"...)
}

func appendNumber(dst []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}

// LandscapeDecimals is the number of decimals of the landscape's values in AppendJSON.
const LandscapeDecimals = 6

func appendFixed(dst []byte, v []float64) []byte {
	dst = append(dst, '[')
	for i, x := range v {
		if i > 0 {
			dst = append(dst, ',')
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			x = 0
		}
		dst = jsonw.Fixed(dst, x, LandscapeDecimals)
	}
	return append(dst, ']')
}
