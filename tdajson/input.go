package tdajson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/topoforge/topoforge/tda"
)

// Default limits, used when the Config field is <= 0.
const (
	// DefaultMaxPoints bounds a cloud or window with max_dim <= 1. Uniform clouds are
	// cheap (1000 points in 3-D: about 0.1 s), but points on a circle are the worst case
	// of the cohomology reduction: 1000 of them take about 5 s and 1.2 GB (Ripser: 18 s,
	// 0.5 GB), and time and memory grow faster than n^2.
	DefaultMaxPoints = 1000
	// DefaultMaxPointsH2 bounds a cloud or window with max_dim 2, where the number of
	// triangles to reduce grows as n^3: 400 points take about 0.1 s.
	DefaultMaxPointsH2 = 400
	// DefaultMaxWindows bounds the number of windows of a streaming input.
	DefaultMaxWindows = 10000
	// DefaultMaxInputBytes bounds the JSON document read by Decode and Run.
	DefaultMaxInputBytes = 64 << 20
)

// Config holds the limits of a computation. The zero value uses the defaults.
type Config struct {
	// MaxPoints is the largest number of points in a cloud or a window when max_dim is 0
	// or 1. Default DefaultMaxPoints; <= 0 means the default.
	MaxPoints int
	// MaxPointsH2 is the largest number of points when max_dim is 2. Default
	// DefaultMaxPointsH2; <= 0 means the default.
	MaxPointsH2 int
	// MaxWindows is the largest number of windows of a streaming input. Default
	// DefaultMaxWindows; <= 0 means the default.
	MaxWindows int
	// MaxInputBytes is the largest JSON document Decode reads. Default
	// DefaultMaxInputBytes; <= 0 means the default.
	MaxInputBytes int64
}

func (c Config) withDefaults() Config {
	if c.MaxPoints <= 0 {
		c.MaxPoints = DefaultMaxPoints
	}
	if c.MaxPointsH2 <= 0 {
		c.MaxPointsH2 = DefaultMaxPointsH2
	}
	if c.MaxWindows <= 0 {
		c.MaxWindows = DefaultMaxWindows
	}
	if c.MaxInputBytes <= 0 {
		c.MaxInputBytes = DefaultMaxInputBytes
	}
	return c
}

// InputError reports an input that cannot be computed: malformed JSON, a missing or
// inconsistent field, a value that is not finite, or a size over a limit. The command
// line maps it to exit code 2 and the HTTP layer to 422; any other error from Run is an
// output failure.
type InputError struct {
	Field string // the JSON field at fault, such as "points[3]"; "" for the whole document
	Err   error
}

// Error returns "invalid input: field: reason".
func (e *InputError) Error() string {
	if e.Field == "" {
		return "invalid input: " + e.Err.Error()
	}
	return "invalid input: " + e.Field + ": " + e.Err.Error()
}

// Unwrap returns the underlying error, such as a tda sentinel error.
func (e *InputError) Unwrap() error { return e.Err }

func inputErr(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Err: fmt.Errorf(format, args...)}
}

// Input is one request in the golden input format: a point cloud (Points), a series to
// delay-embed (Series, Dim, Delay), or a streaming series cut into windows (Series, Dim,
// Delay, Window, Stride). Window and Stride also apply to Points: windows of Window
// points every Stride points.
type Input struct {
	Name        string      `json:"name"`
	Seed        *int64      `json:"seed"`
	Description string      `json:"description"`
	Points      [][]float64 `json:"points"`
	Series      []float64   `json:"series"`
	Dim         int         `json:"dim"`
	Delay       int         `json:"delay"`
	Window      int         `json:"window"`
	Stride      int         `json:"stride"`
	// MaxDim is the highest homology dimension, 0 to 2; absent means 1.
	MaxDim *int `json:"max_dim"`
	// MaxEdge is the longest edge in the complex; absent or null means none.
	MaxEdge *float64 `json:"max_edge"`
	// Epsilon is the threshold of bars_over_epsilon; absent means 0.
	Epsilon float64 `json:"epsilon"`
	// BettiAt lists filtration values at which Betti numbers are reported.
	BettiAt []float64 `json:"betti_at"`
	// LandscapeRange overrides the default landscape range.
	LandscapeRange *LandscapeRange `json:"landscape_range"`
}

// LandscapeRange is the landscape range of the input: [a, b] for every dimension, or
// {"0": [a, b], ...} per dimension (dimensions left out use the default range).
type LandscapeRange struct {
	All    *[2]float64
	PerDim map[int][2]float64
}

// UnmarshalJSON accepts [a, b] or {"k": [a, b], ...}.
func (r *LandscapeRange) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var ab [2]float64
		if err := strictUnmarshal(b, &ab); err != nil {
			return err
		}
		r.All = &ab
		return nil
	}
	var m map[string][2]float64
	if err := strictUnmarshal(b, &m); err != nil {
		return err
	}
	r.PerDim = make(map[int][2]float64, len(m))
	for k, v := range m {
		d, err := strconv.Atoi(k)
		if err != nil || d < 0 || d > tda.MaxHomologyDim {
			return fmt.Errorf("landscape range key %q is not a homology dimension", k)
		}
		r.PerDim[d] = v
	}
	return nil
}

// strictUnmarshal decodes b into v, rejecting arrays of the wrong length for [2]float64.
func strictUnmarshal(b []byte, v any) error {
	var raw any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if err := checkPairs(raw); err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func checkPairs(raw any) error {
	switch x := raw.(type) {
	case []any:
		if len(x) != 2 {
			return fmt.Errorf("range has %d values, want 2", len(x))
		}
	case map[string]any:
		for _, v := range x {
			if err := checkPairs(v); err != nil {
				return err
			}
		}
	default:
		return errors.New("range must be [a, b] or an object of them")
	}
	return nil
}

// Range returns the landscape range of dimension k and whether the input sets it.
func (r *LandscapeRange) Range(k int) ([2]float64, bool) {
	switch {
	case r == nil:
		return [2]float64{}, false
	case r.All != nil:
		return *r.All, true
	}
	ab, ok := r.PerDim[k]
	return ab, ok
}

// Decode reads one JSON document in the golden input format from r and validates it
// against c's limits. Unknown fields, trailing data, and documents over MaxInputBytes are
// rejected. Every error is an *InputError, except a failure of r itself.
func (c Config) Decode(r io.Reader) (*Input, error) {
	c = c.withDefaults()
	lr := &io.LimitedReader{R: r, N: c.MaxInputBytes + 1}
	data, err := io.ReadAll(lr)
	if err != nil {
		return nil, fmt.Errorf("read input: %w", err)
	}
	if int64(len(data)) > c.MaxInputBytes {
		return nil, inputErr("", "document is larger than %d bytes", c.MaxInputBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var in Input
	if err := dec.Decode(&in); err != nil {
		return nil, &InputError{Err: fmt.Errorf("decode json: %w", err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, inputErr("", "trailing data after the JSON document")
	}
	if err := c.validate(&in); err != nil {
		return nil, err
	}
	return &in, nil
}

// maxDim returns the requested homology dimension, 1 when absent.
func (in *Input) maxDim() int {
	if in.MaxDim == nil {
		return 1
	}
	return *in.MaxDim
}

// validate checks in against the format and c's limits (c has its defaults filled).
func (c Config) validate(in *Input) error {
	md := in.maxDim()
	if md < 0 || md > tda.MaxHomologyDim {
		return inputErr("max_dim", "%d is not in [0, %d]", md, tda.MaxHomologyDim)
	}
	limit := c.MaxPoints
	if md == 2 {
		limit = c.MaxPointsH2
	}
	if in.MaxEdge != nil && !(*in.MaxEdge > 0 && !math.IsInf(*in.MaxEdge, 1)) {
		return inputErr("max_edge", "%v must be positive and finite (or null for no limit)", *in.MaxEdge)
	}
	if !finite(in.Epsilon) {
		return inputErr("epsilon", "not finite")
	}
	for i, t := range in.BettiAt {
		if !finite(t) {
			return inputErr(fmt.Sprintf("betti_at[%d]", i), "not finite")
		}
	}
	for k := 0; k <= tda.MaxHomologyDim; k++ {
		if ab, ok := in.LandscapeRange.Range(k); ok && !(finite(ab[0]) && finite(ab[1]) && ab[0] <= ab[1]) {
			return inputErr("landscape_range", "[%v, %v] is not a finite range with a <= b", ab[0], ab[1])
		}
	}
	if in.Stride < 0 || (in.Stride > 0 && in.Window <= 0) {
		return inputErr("stride", "%d needs a positive window", in.Stride)
	}
	if in.Window < 0 {
		return inputErr("window", "%d is negative", in.Window)
	}
	switch {
	case in.Points != nil && in.Series != nil:
		return inputErr("", "give either points or series, not both")
	case in.Points != nil:
		return c.validatePoints(in, limit)
	case in.Series != nil:
		return c.validateSeries(in, limit)
	}
	return inputErr("", "no points and no series")
}

func (c Config) validatePoints(in *Input, limit int) error {
	if in.Dim != 0 || in.Delay != 0 {
		return inputErr("dim", "dim and delay apply to series only")
	}
	n := len(in.Points)
	if n == 0 {
		return inputErr("points", "no points")
	}
	d := len(in.Points[0])
	if d == 0 {
		return inputErr("points[0]", "no coordinates")
	}
	for i, p := range in.Points {
		if len(p) != d {
			return inputErr(fmt.Sprintf("points[%d]", i), "has %d coordinates, points[0] has %d", len(p), d)
		}
		for k, x := range p {
			if !finite(x) {
				return inputErr(fmt.Sprintf("points[%d][%d]", i, k), "not finite")
			}
		}
	}
	per := n
	if in.Window > 0 {
		if in.Window > n {
			return inputErr("window", "%d points, but there are only %d", in.Window, n)
		}
		per = in.Window
		if err := c.checkWindows(n, in.Window, in.stride()); err != nil {
			return err
		}
	}
	if per > limit {
		return inputErr("points", "%d points, the limit for max_dim %d is %d", per, in.maxDim(), limit)
	}
	return nil
}

func (c Config) validateSeries(in *Input, limit int) error {
	n := len(in.Series)
	for i, x := range in.Series {
		if !finite(x) {
			return inputErr(fmt.Sprintf("series[%d]", i), "not finite")
		}
	}
	switch {
	case in.Dim < 1 || in.Dim > max(n, 1):
		return inputErr("dim", "%d must be in [1, %d]", in.Dim, max(n, 1))
	case in.Delay < 1 || in.Delay > max(n, 1):
		return inputErr("delay", "%d must be in [1, %d]", in.Delay, max(n, 1))
	}
	span := (in.Dim-1)*in.Delay + 1 // samples in one embedded point
	length := n
	if in.Window > 0 {
		if in.Window > n {
			return inputErr("window", "%d samples, but the series has %d", in.Window, n)
		}
		if err := c.checkWindows(n, in.Window, in.stride()); err != nil {
			return err
		}
		length = in.Window
	}
	if length < span {
		return inputErr("series", "%d samples make no point of dimension %d with delay %d", length, in.Dim, in.Delay)
	}
	if per := length - span + 1; per > limit {
		return inputErr("series", "%d embedded points, the limit for max_dim %d is %d", per, in.maxDim(), limit)
	}
	return nil
}

func (c Config) checkWindows(n, window, stride int) error {
	if count := (n-window)/stride + 1; count > c.MaxWindows {
		return inputErr("window", "%d windows, the limit is %d", count, c.MaxWindows)
	}
	return nil
}

// stride returns the window stride, 1 when absent.
func (in *Input) stride() int { return max(in.Stride, 1) }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
