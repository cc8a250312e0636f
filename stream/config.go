package stream

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/topoforge/topoforge/tda"
)

// Limits of a Config. Each bounds the memory or the per-event cost of one Analyzer.
const (
	// MinWindowSize is the smallest WindowSize: fewer points make no useful topology.
	MinWindowSize = 8
	// MaxWindowSize bounds WindowSize. The window's memory grows as its square and the
	// persistence computation faster still: 256 points take about 1.5 MB and 0.5 ms per
	// event with MaxDim 1, against 100 KB and 20 µs for the default 50.
	MaxWindowSize = 256
	// MaxEmbeddingDim bounds EmbeddingDim, the Takens dimension of each field.
	MaxEmbeddingDim = 16
	// MaxDelay bounds an explicit Delay in samples.
	MaxDelay = 256
	// MaxFields bounds the number of Fields of an event.
	MaxFields = 16
	// MaxPointDim bounds len(Fields) * EmbeddingDim, the dimension of a window point.
	MaxPointDim = 64
	// MaxFieldName bounds the length in bytes of a field name.
	MaxFieldName = 128
	// MaxWarmup bounds Warmup, in samples.
	MaxWarmup = 1 << 20
	// MaxWeight bounds each of the Weights.
	MaxWeight = 100
)

// Defaults of a Config; DefaultConfig returns them.
const (
	DefaultAnomalyThreshold = 50
	DefaultWindowSize       = 50
	DefaultStride           = 1
	DefaultEmbeddingDim     = 3
	DefaultDelay            = 1
	DefaultMaxDim           = 1
	DefaultWarmup           = 400
	DefaultField            = "value"
)

// Delay is the Takens delay in samples, or AutoDelay. In JSON it is a positive
// integer or the string "auto".
type Delay int

// AutoDelay lets the Analyzer pick the delay from the first samples of the stream with
// tda.ChooseDelay (first minimum of the auto mutual information), between 1 and
// AutoMaxDelay.
const AutoDelay Delay = 0

// MarshalJSON encodes AutoDelay as "auto" and any other delay as a number.
func (d Delay) MarshalJSON() ([]byte, error) {
	if d == AutoDelay {
		return []byte(`"auto"`), nil
	}
	return strconv.AppendInt(nil, int64(d), 10), nil
}

// UnmarshalJSON accepts an integer or "auto"; null leaves d unchanged. A negative or
// zero number is kept (0 as -1, since 0 is AutoDelay) and rejected later by
// Config.Validate, which names the field.
func (d *Delay) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "null":
		return nil
	case `"auto"`:
		*d = AutoDelay
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || v != math.Trunc(v) || math.Abs(v) > 1<<30 {
		return fmt.Errorf("delay: want a positive integer or \"auto\", got %.40s", b)
	}
	if v == 0 {
		v = -1 // an explicit 0 is not "auto": let Validate reject it
	}
	*d = Delay(v)
	return nil
}

// String returns "auto" or the delay in decimal.
func (d Delay) String() string {
	if d == AutoDelay {
		return "auto"
	}
	return strconv.Itoa(int(d))
}

// Weights weigh the three component scores in the total score. They are relative: only
// their ratios matter. Each is in [0, MaxWeight] and their sum must be positive.
type Weights struct {
	// Betti weighs the topology score (unusual persistence of H0 and H1 bars).
	Betti float64 `json:"betti"`
	// Entropy weighs the persistence-entropy score.
	Entropy float64 `json:"entropy"`
	// ML weighs the online model score over the statistical features of the window.
	ML float64 `json:"ml"`
}

// DefaultWeights returns the default weights, the ones tuned on the Numenta Anomaly
// Benchmark (bench/RESULTS.md).
func DefaultWeights() Weights { return Weights{Betti: 1.125, Entropy: 0.85, ML: 1.5} }

// Config configures an Analyzer. Its zero value is not valid: start from DefaultConfig
// and change what you need (or decode JSON onto DefaultConfig, so that absent keys keep
// their defaults). Validate reports the first field out of range.
type Config struct {
	// AnomalyThreshold is the total score, in [0, 100], at or above which a window is an
	// anomaly. Default 50.
	AnomalyThreshold float64 `json:"anomaly_threshold"`
	// WindowSize is the number of embedded points per window, in [MinWindowSize,
	// MaxWindowSize]. Default 50.
	WindowSize int `json:"window_size"`
	// Stride is the number of samples between two analysed windows, in [1, WindowSize].
	// Default 1: every sample once the window is full.
	Stride int `json:"stride"`
	// EmbeddingDim is the Takens embedding dimension d of each field, in [1,
	// MaxEmbeddingDim]; 1 uses the field values as they are. Default 3.
	EmbeddingDim int `json:"embedding_dim"`
	// Delay is the Takens delay in samples, in [1, MaxDelay], or AutoDelay ("auto").
	// Default 1, which scored best on the Numenta Anomaly Benchmark: consecutive samples,
	// so that a window reacts to a change within a sample. It is ignored when
	// EmbeddingDim is 1.
	Delay Delay `json:"delay"`
	// MaxDim is the highest homology dimension computed, in [0, tda.MaxHomologyDim].
	// Default 1 (H0 and H1).
	MaxDim int `json:"max_dim"`
	// Weights weigh the component scores in the total score. Default DefaultWeights().
	Weights Weights `json:"weights"`
	// Fields names the numeric fields of an event, 1 to MaxFields distinct non-empty names
	// of at most MaxFieldName bytes; a point given to Push holds their values in this
	// order. Default ["value"].
	Fields []string `json:"fields"`
	// Warmup is the number of samples, from the first one, during which windows are
	// analysed and learnt from but not scored by the method (their component scores are
	// 0; only the early detector, for samples far outside the range of all earlier ones,
	// sets Total), in [0, MaxWarmup]. Default 400.
	Warmup int `json:"warmup"`
}

// DefaultConfig returns the default configuration, the global configuration used on
// the Numenta Anomaly Benchmark.
func DefaultConfig() Config {
	return Config{
		AnomalyThreshold: DefaultAnomalyThreshold,
		WindowSize:       DefaultWindowSize,
		Stride:           DefaultStride,
		EmbeddingDim:     DefaultEmbeddingDim,
		Delay:            DefaultDelay,
		MaxDim:           DefaultMaxDim,
		Weights:          DefaultWeights(),
		Fields:           []string{DefaultField},
		Warmup:           DefaultWarmup,
	}
}

// ErrConfig is wrapped by every error of Config.Validate and NewAnalyzer about a bad
// configuration.
var ErrConfig = errors.New("invalid stream config")

// fieldError names the offending field and its allowed range.
func fieldError(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s %s", ErrConfig, field, fmt.Sprintf(format, args...))
}

// Validate returns an error wrapping ErrConfig that names the first field out of range
// and its allowed range, or nil.
func (c *Config) Validate() error {
	switch {
	case !(c.AnomalyThreshold >= 0 && c.AnomalyThreshold <= 100):
		return fieldError("anomaly_threshold", "is %v, must be in [0, 100]", c.AnomalyThreshold)
	case c.WindowSize < MinWindowSize || c.WindowSize > MaxWindowSize:
		return fieldError("window_size", "is %d, must be in [%d, %d]", c.WindowSize, MinWindowSize, MaxWindowSize)
	case c.Stride < 1 || c.Stride > c.WindowSize:
		return fieldError("stride", "is %d, must be in [1, window_size = %d]", c.Stride, c.WindowSize)
	case c.EmbeddingDim < 1 || c.EmbeddingDim > MaxEmbeddingDim:
		return fieldError("embedding_dim", "is %d, must be in [1, %d]", c.EmbeddingDim, MaxEmbeddingDim)
	case c.Delay != AutoDelay && (c.Delay < 1 || c.Delay > MaxDelay):
		return fieldError("delay", "is %d, must be \"auto\" or in [1, %d]", int(c.Delay), MaxDelay)
	case c.MaxDim < 0 || c.MaxDim > tda.MaxHomologyDim:
		return fieldError("max_dim", "is %d, must be in [0, %d]", c.MaxDim, tda.MaxHomologyDim)
	case c.Warmup < 0 || c.Warmup > MaxWarmup:
		return fieldError("warmup", "is %d, must be in [0, %d]", c.Warmup, MaxWarmup)
	}
	if err := c.Weights.validate(); err != nil {
		return err
	}
	return c.validateFields()
}

func (w Weights) validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"weights.betti", w.Betti}, {"weights.entropy", w.Entropy}, {"weights.ml", w.ML}} {
		if !(f.v >= 0 && f.v <= MaxWeight) {
			return fieldError(f.name, "is %v, must be in [0, %d]", f.v, MaxWeight)
		}
	}
	if w.Betti+w.Entropy+w.ML == 0 {
		return fieldError("weights", "are all 0, at least one must be positive")
	}
	return nil
}

func (c *Config) validateFields() error {
	n := len(c.Fields)
	if n < 1 || n > MaxFields {
		return fieldError("fields", "has %d names, must have 1 to %d", n, MaxFields)
	}
	if n*c.EmbeddingDim > MaxPointDim {
		return fieldError("fields", "has %d names with embedding_dim %d: points of dimension %d, at most %d",
			n, c.EmbeddingDim, n*c.EmbeddingDim, MaxPointDim)
	}
	for i, f := range c.Fields {
		if f == "" || len(f) > MaxFieldName {
			return fieldError("fields", "name %d has %d bytes, must have 1 to %d", i, len(f), MaxFieldName)
		}
		if slices.Index(c.Fields[:i], f) >= 0 {
			return fieldError("fields", "name %q is repeated, names must be distinct", f)
		}
	}
	return nil
}

// clone returns c with its own Fields slice.
func (c Config) clone() Config {
	c.Fields = slices.Clone(c.Fields)
	return c
}

// structural reports whether changing c into d requires a new window (anything but the
// threshold, the weights and the warmup).
func (c *Config) structural(d *Config) bool {
	return c.WindowSize != d.WindowSize || c.Stride != d.Stride || c.EmbeddingDim != d.EmbeddingDim ||
		c.Delay != d.Delay || c.MaxDim != d.MaxDim || !slices.Equal(c.Fields, d.Fields)
}

// AutoMaxDelay returns the largest delay that AutoDelay may choose for a window of w
// points with embedding dimension d: max(1, w/(2(d-1))), so that a window spans at most
// 1.5 w samples.
func AutoMaxDelay(w, d int) int {
	if d < 2 {
		return 1
	}
	return max(1, w/(2*(d-1)))
}
