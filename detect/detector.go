package detect

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
)

// ErrNotFitted is returned by the scoring methods and MarshalBinary of a
// Detector that has not been fitted or loaded.
var ErrNotFitted = errors.New("detector is not fitted")

// Result is the outcome of scoring one row.
type Result struct {
	// Score is the raw anomaly score of the algorithm; larger is more
	// anomalous. It depends only on the row and the fitted model, and is
	// finite (an overflow on extreme inputs gives ±MaxFloat64).
	Score float64 `json:"score"`
	// AnomalyScore is the empirical CDF of the training scores at Score:
	// the fraction of training rows that score lower, in [0, 1].
	AnomalyScore float64 `json:"anomaly_score"`
	// Confidence is in [0.5, 1]: 0.5 at the threshold, 1 at the extremes.
	Confidence float64 `json:"confidence"`
	// IsAnomaly reports Score > Threshold().
	IsAnomaly bool `json:"is_anomaly"`
	// Explanation is a sentence naming the features that make the row
	// unusual (or typical) versus the training rows.
	Explanation string `json:"explanation"`
	// Contributions lists the most unusual input columns of the row, most
	// unusual first, followed by any imputed columns.
	Contributions []Contribution `json:"contributions,omitempty"`
}

// Summary describes a fitted detector.
type Summary struct {
	Algorithm     string         `json:"algorithm"`     // catalogue name
	Parameters    map[string]any `json:"parameters"`    // all parameters, defaults included
	Rows          int            `json:"rows"`          // training rows
	Columns       []string       `json:"columns"`       // input columns learned at fit
	Features      []string       `json:"features"`      // prepared features (see FeatureNames)
	Contamination float64        `json:"contamination"` // expected outlier fraction
	Threshold     float64        `json:"threshold"`     // raw score above which a row is an anomaly
}

// Detector is an anomaly-detection model: an algorithm with validated
// parameters and, once fitted, the learned input preparation, model and
// score calibration. Methods that only read (scoring, MarshalBinary) are safe
// for concurrent use; Fit and Learn are not.
type Detector struct {
	def    algoDef
	params params
	model  model
	prep   *prep
	cal    calibration
	rows   int
}

// New returns an unfitted detector for the named algorithm (see Catalogue;
// names match case-insensitively). Missing parameters take their defaults;
// an unknown, mistyped or out-of-range parameter gives a *ParamError.
func New(algorithm string, p map[string]any) (*Detector, error) {
	def, err := lookup(algorithm)
	if err != nil {
		return nil, err
	}
	ps, err := validateParams(def.info.Name, def.info.Parameters, p)
	if err != nil {
		return nil, err
	}
	if def.check != nil {
		if err := def.check(ps); err != nil {
			return nil, err
		}
	}
	return &Detector{def: def, params: ps}, nil
}

// Algorithm returns the catalogue name of the detector's algorithm.
func (d *Detector) Algorithm() string { return d.def.info.Name }

// Params returns a copy of the parameters, defaults included.
func (d *Detector) Params() map[string]any { return d.params.clone() }

// Fit learns the input preparation, the model and the score calibration from
// t, replacing any earlier fit. Scores are fixed from then on.
func (d *Detector) Fit(t Table) error {
	_, err := d.fit(t)
	return err
}

// FitScore fits on t and returns the results of its rows as a fit-predict
// would: for LOF and KNN, a training row's neighbours exclude the row itself
// (as scikit-learn's negative_outlier_factor_); for the other algorithms the
// results equal Score(t).
func (d *Detector) FitScore(t Table) ([]Result, error) {
	train, err := d.fit(t)
	if err != nil {
		return nil, err
	}
	plan := d.prep.plan(t.Columns)
	out := make([]Result, len(train))
	x := make([]float64, d.prep.nfeat)
	for i, s := range train {
		if err := d.prep.encode(x, plan, t.Rows[i]); err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		out[i] = d.result(s, t.Rows[i], plan, x, nil)
	}
	return out, nil
}

func (d *Detector) fit(t Table) ([]float64, error) {
	p, x, err := fitPrep(t)
	if err != nil {
		return nil, fmt.Errorf("fit %s: %w", d.def.info.Name, err)
	}
	m := d.def.newModel(d.params)
	n := len(t.Rows)
	train := make([]float64, n)
	if err := m.fit(x, n, p.nfeat, train); err != nil {
		return nil, fmt.Errorf("fit %s: %w", d.def.info.Name, err)
	}
	for i, s := range train {
		train[i] = finiteScore(s)
	}
	d.model, d.prep, d.rows = m, p, n
	d.cal = fitCalibration(train, d.params.f("contamination"))
	return train, nil
}

// Score returns one result per row of t. Columns may come in any order;
// columns unknown at fit time are ignored and absent columns or nil cells
// are imputed (and said so in the explanation). A string never seen in
// training counts as the rarest value. A row scores the same alone or in any
// batch.
func (d *Detector) Score(t Table) ([]Result, error) {
	if d.model == nil {
		return nil, ErrNotFitted
	}
	if err := t.checkShape(); err != nil {
		return nil, fmt.Errorf("score: %w", err)
	}
	nf := d.prep.nfeat
	plan := d.prep.plan(t.Columns)
	x := make([]float64, len(t.Rows)*nf)
	for i, r := range t.Rows {
		if err := d.prep.encode(x[i*nf:(i+1)*nf], plan, r); err != nil {
			return nil, fmt.Errorf("score: row %d: %w", i, err)
		}
	}
	out := make([]Result, len(t.Rows))
	if sa, ok := d.model.(scoreAttributor); ok && len(t.Rows) <= scoreAttributeRows {
		// Few rows: one walk per row gives the score and the explanation's attribution.
		attr := make([]float64, nf)
		for i := range out {
			xi := x[i*nf : (i+1)*nf]
			s := finiteScore(sa.scoreAttribute(attr, xi))
			out[i] = d.result(s, t.Rows[i], plan, xi, attr)
		}
		return out, nil
	}
	scores := d.ScoreBatch(nil, x)
	for i, s := range scores {
		out[i] = d.result(s, t.Rows[i], plan, x[i*nf:(i+1)*nf], nil)
	}
	return out, nil
}

// scoreAttributeRows is the most rows Score scores with scoreAttribute; above it the batch
// path, which walks many rows through one tree at a time, is faster even with a second walk
// for the attribution.
const scoreAttributeRows = 8

func (d *Detector) result(s float64, row []any, plan []int, x, attr []float64) Result {
	q, c, a := d.Calibrate(s)
	r := Result{Score: s, AnomalyScore: q, Confidence: c, IsAnomaly: a}
	r.Explanation, r.Contributions = d.explain(row, plan, x, q, a, attr)
	return r
}

// Vector writes the prepared feature vector of one row into dst (resized to
// NumFeatures) and returns it: row holds one cell per name in columns, in
// any order; unknown columns are ignored, absent ones imputed. It allocates
// only when dst is too small or a number arrives in a string column.
func (d *Detector) Vector(dst []float64, columns []string, row []any) ([]float64, error) {
	if d.prep == nil {
		return dst, ErrNotFitted
	}
	if len(row) != len(columns) {
		return dst, fmt.Errorf("row has %d cells for %d columns", len(row), len(columns))
	}
	dst = slices.Grow(dst[:0], d.prep.nfeat)[:d.prep.nfeat]
	d.prep.fillImputed(dst)
	for i, name := range columns {
		j, ok := d.prep.index[name]
		if !ok {
			continue
		}
		if err := d.prep.set(dst, j, row[i]); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// ScoreVector returns the raw score of one prepared feature vector (see
// Vector and FeatureNames). It does not allocate. It panics if the detector
// is not fitted or len(x) != NumFeatures(); x must be finite.
func (d *Detector) ScoreVector(x []float64) float64 {
	if len(x) != d.prep.nfeat {
		panic(fmt.Sprintf("detect: ScoreVector got %d features, want %d", len(x), d.prep.nfeat))
	}
	return finiteScore(d.model.score(x))
}

// finiteScore keeps scores finite when extreme inputs (beyond about 1e150)
// overflow an algorithm's arithmetic: ±Inf becomes ±MaxFloat64, and NaN
// (Inf - Inf) counts as the most anomalous score, MaxFloat64.
func finiteScore(s float64) float64 {
	switch {
	case s != s || s > math.MaxFloat64:
		return math.MaxFloat64
	case s < -math.MaxFloat64:
		return -math.MaxFloat64
	}
	return s
}

// batchScorer is implemented by models with a faster batch path.
type batchScorer interface {
	scoreBatch(dst, x []float64, n, d int)
}

// ScoreBatch writes the raw scores of the row-major prepared vectors in x
// (len a multiple of NumFeatures) to dst, resized as needed, and returns it.
// It panics if the detector is not fitted or len(x) is not a multiple of
// NumFeatures().
func (d *Detector) ScoreBatch(dst, x []float64) []float64 {
	nf := d.prep.nfeat
	if len(x)%nf != 0 {
		panic(fmt.Sprintf("detect: ScoreBatch got %d values, not a multiple of %d features", len(x), nf))
	}
	n := len(x) / nf
	dst = slices.Grow(dst[:0], n)[:n]
	if b, ok := d.model.(batchScorer); ok {
		b.scoreBatch(dst, x, n, nf)
		for i, s := range dst {
			dst[i] = finiteScore(s)
		}
		return dst
	}
	for i := range dst {
		dst[i] = finiteScore(d.model.score(x[i*nf : (i+1)*nf]))
	}
	return dst
}

// Calibrate maps a raw score to its anomaly_score (the training-score CDF),
// confidence and anomaly flag (score > Threshold()). It does not allocate.
func (d *Detector) Calibrate(score float64) (anomalyScore, confidence float64, isAnomaly bool) {
	q := d.cal.anomalyScore(score)
	a := score > d.cal.threshold
	return q, d.cal.confidence(q, a), a
}

// Threshold returns the raw score above which a row is an anomaly: the
// (1 - contamination) quantile of the training scores (linear
// interpolation, as NumPy's percentile). It is 0 before fitting.
func (d *Detector) Threshold() float64 { return d.cal.threshold }

// Contamination returns the contamination parameter.
func (d *Detector) Contamination() float64 { return d.params.f("contamination") }

// NumFeatures returns the width of a prepared feature vector (0 before
// fitting).
func (d *Detector) NumFeatures() int {
	if d.prep == nil {
		return 0
	}
	return d.prep.nfeat
}

// FeatureNames returns the names of the prepared features: a numeric column
// keeps its name, a one-hot column gives "column=value" per value, a
// frequency-encoded column gives "column:frequency".
func (d *Detector) FeatureNames() []string {
	if d.prep == nil {
		return nil
	}
	return slices.Clone(d.prep.names)
}

// Summary describes the fitted detector (zero counts before fitting).
func (d *Detector) Summary() Summary {
	s := Summary{
		Algorithm:     d.def.info.Name,
		Parameters:    d.params.clone(),
		Rows:          d.rows,
		Contamination: d.Contamination(),
		Threshold:     d.cal.threshold,
		Features:      d.FeatureNames(),
	}
	if d.prep != nil {
		for _, c := range d.prep.cols {
			s.Columns = append(s.Columns, c.name)
		}
	}
	return s
}

// Serialisation format: magic, version, algorithm, parameters, training row
// count, preparation, calibration, model state, then a CRC-32 (IEEE) of all
// preceding bytes. Integers and floats are little-endian fixed width; maps
// are written sorted, so one model always gives the same bytes.
const (
	magic         = "TFDETECT"
	formatVersion = 1
)

// MarshalBinary returns the versioned serialised model. The same fitted
// model always gives the same bytes, and Load restores bit-identical scores.
func (d *Detector) MarshalBinary() ([]byte, error) {
	if d.model == nil {
		return nil, ErrNotFitted
	}
	e := &encoder{b: make([]byte, 0, 1024)}
	e.b = append(e.b, magic...)
	e.u32(formatVersion)
	e.str(d.def.info.Name)
	encodeParams(e, d.params)
	e.int(d.rows)
	d.prep.encodeTo(e)
	d.cal.encodeTo(e)
	d.model.encode(e)
	e.u32(crc32.ChecksumIEEE(e.b))
	return e.b, nil
}

// Load restores a detector from MarshalBinary bytes. It returns an error for
// bytes of another format version, a failed checksum or corrupt content.
func Load(b []byte) (*Detector, error) {
	if len(b) < len(magic)+8 || !bytes.Equal(b[:len(magic)], []byte(magic)) {
		return nil, errors.New("load detector: not a TopoForge detector model")
	}
	body, sum := b[:len(b)-4], b[len(b)-4:]
	if crc32.ChecksumIEEE(body) != uint32(sum[0])|uint32(sum[1])<<8|uint32(sum[2])<<16|uint32(sum[3])<<24 {
		return nil, errors.New("load detector: checksum mismatch")
	}
	dec := &decoder{b: body[len(magic):]}
	if v := dec.u32(); v != formatVersion {
		return nil, fmt.Errorf("load detector: format version %d, want %d", v, formatVersion)
	}
	def, err := lookup(dec.str())
	if err != nil {
		return nil, fmt.Errorf("load detector: %w", err)
	}
	ps := decodeParams(dec)
	if dec.err != nil {
		return nil, fmt.Errorf("load detector: %w", dec.err)
	}
	given := map[string]any(ps)
	if ps, err = validateParams(def.info.Name, def.info.Parameters, given); err != nil {
		return nil, fmt.Errorf("load detector: %w", err)
	}
	d := &Detector{def: def, params: ps}
	d.rows = dec.int()
	d.prep = decodePrep(dec)
	d.cal = decodeCalibration(dec)
	m := def.newModel(ps)
	if dec.err == nil {
		m.decode(dec, d.prep.nfeat)
	}
	if dec.err == nil && len(dec.b) != 0 {
		dec.fail("%d trailing bytes", len(dec.b))
	}
	if dec.err != nil {
		return nil, fmt.Errorf("load detector: %w", dec.err)
	}
	d.model = m
	return d, nil
}
