package stream

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"
)

// MustAnalyzer returns an Analyzer for cfg or fails tb.
func MustAnalyzer(tb testing.TB, cfg Config) *Analyzer {
	tb.Helper()
	a, err := NewAnalyzer(cfg)
	if err != nil {
		tb.Fatalf("NewAnalyzer: %v", err)
	}
	return a
}

// run pushes n samples of next and returns the analyses (landscapes copied), indexed
// by sample number, nil where no window was analysed.
func run(tb testing.TB, a *Analyzer, n int, next func(i int) []float64) []*Analysis {
	tb.Helper()
	out := make([]*Analysis, n)
	for i := range n {
		res, ok, err := a.Push(next(i))
		if err != nil {
			tb.Fatalf("Push(sample %d): %v", i, err)
		}
		if ok {
			res.Landscape = Landscape{X: slices.Clone(res.Landscape.X), Y: slices.Clone(res.Landscape.Y)}
			out[i] = &res
		}
	}
	return out
}

func scalar(next func() float64) func(int) []float64 {
	p := []float64{0}
	return func(int) []float64 { p[0] = next(); return p }
}

func TestStationarySineStaysQuiet(t *testing.T) {
	cfg := DefaultConfig()
	for _, tc := range []struct{ period, noise float64 }{{24, 0.1}, {60, 0.3}, {100, 0.5}, {288, 0.2}} {
		a := MustAnalyzer(t, cfg)
		res := run(t, a, 5000, scalar(sineSource(11, tc.period, tc.noise)))
		windows, peak := 0, 0.0
		for i, r := range res {
			if r == nil {
				continue
			}
			if !r.Warmup {
				windows++
			}
			peak = math.Max(peak, r.Scores.Total) // the warmup's early detector included
			if r.IsAnomaly || r.Scores.Total >= cfg.AnomalyThreshold {
				t.Errorf("period %v noise %v: sample %d: total %.1f, anomaly %v; want below %v",
					tc.period, tc.noise, i, r.Scores.Total, r.IsAnomaly, cfg.AnomalyThreshold)
				break
			}
		}
		if windows < 4500 {
			t.Errorf("period %v: %d scored windows, want >= 4500", tc.period, windows)
		}
		t.Logf("period %v noise %v: peak total %.1f over %d windows", tc.period, tc.noise, peak, windows)
	}
}

func TestChangesAreFlagged(t *testing.T) {
	const at = 3000
	for _, tc := range []struct {
		name   string
		within int // samples from the change to the alert
		change func(i int) float64
	}{
		{"Spike", 3, func(i int) float64 {
			if i == at {
				return 25
			}
			return 0
		}},
		{"LevelShift", 3, func(i int) float64 {
			if i >= at {
				return 12
			}
			return 0
		}},
		// The sine of period 60 leaves its former range a quarter period later.
		{"AmplitudeChange", 15 + 3, func(i int) float64 {
			if i >= at {
				return 10 * math.Sin(2*math.Pi*float64(i)/60)
			}
			return 0
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := MustAnalyzer(t, DefaultConfig())
			base := sineSource(5, 60, 0.3)
			res := run(t, a, at+200, func(i int) []float64 { return []float64{base() + tc.change(i)} })
			first := -1
			for i := at - 500; i < len(res); i++ {
				if res[i] != nil && res[i].IsAnomaly {
					first = i
					break
				}
			}
			if first < at || first > at+tc.within {
				t.Fatalf("first anomaly at sample %d, want in [%d, %d]", first, at, at+tc.within)
			}
			r := res[first]
			if r.Scores.Total < DefaultAnomalyThreshold || r.AnomalyScore != r.Scores.Total {
				t.Errorf("scores at the alert = %+v, anomaly score %v", r.Scores, r.AnomalyScore)
			}
			// One alert per event: the next 100 samples are suppressed.
			for i := first + 1; i <= first+100 && i < len(res); i++ {
				if res[i] != nil && (res[i].IsAnomaly || res[i].Scores.Total > DefaultAnomalyThreshold/2) {
					t.Fatalf("sample %d: anomaly %v total %.1f during the suppression", i, res[i].IsAnomaly, res[i].Scores.Total)
				}
			}
		})
	}
}

func TestBuffering(t *testing.T) {
	f := func(name string, cfg Config, needed int) {
		t.Helper()
		a := MustAnalyzer(t, cfg)
		next := sineSource(1, 40, 0.1)
		for i := 1; i <= needed+3; i++ {
			_, ok, err := a.Push([]float64{next()})
			if err != nil {
				t.Fatal(err)
			}
			count, n := a.Buffered()
			if n != needed || count != min(i, needed) {
				t.Fatalf("%s: after %d samples Buffered() = %d, %d; want %d, %d", name, i, count, n, min(i, needed), needed)
			}
			if ok != (i >= needed) {
				t.Fatalf("%s: sample %d analysed = %v, want %v", name, i, ok, i >= needed)
			}
		}
	}
	cfg := DefaultConfig()
	f("Default", cfg, 50+2*1)
	cfg.Delay = AutoDelay
	f("AutoDelay", cfg, 50+2*AutoMaxDelay(50, 3))
	cfg.EmbeddingDim = 1
	f("NoEmbedding", cfg, 50)
	cfg = DefaultConfig()
	cfg.WindowSize, cfg.Delay, cfg.EmbeddingDim = 20, 4, 4
	f("Delay4", cfg, 20+3*4)
}

func TestAutoDelay(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Delay = AutoDelay
	a := MustAnalyzer(t, cfg)
	if got := a.Config().Delay; got != AutoDelay {
		t.Errorf("Config().Delay before the first window = %v, want auto", got)
	}
	run(t, a, 200, scalar(sineSource(1, 40, 0.05)))
	// A sine of period 40 gives about 40/4 = 10 from enough samples; from the first 74
	// the mutual information is rough. It must be chosen and at most AutoMaxDelay(50, 3).
	if got := a.Config().Delay; got < 4 || got > 12 {
		t.Errorf("chosen delay = %v, want in [4, 12]", got)
	}
}

func TestStride(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Stride = 5
	a := MustAnalyzer(t, cfg)
	res := run(t, a, 200, scalar(sineSource(1, 40, 0.1)))
	for i, r := range res {
		want := i+1 >= 52 && (i+1-52)%5 == 0
		if (r != nil) != want {
			t.Fatalf("sample %d analysed = %v, want %v", i, r != nil, want)
		}
		if r != nil && r.Sample != int64(i+1) {
			t.Fatalf("sample %d: Analysis.Sample = %d", i, r.Sample)
		}
	}
}

func TestBadPoints(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Fields = []string{"cpu", "mem"}
	a, twin := MustAnalyzer(t, cfg), MustAnalyzer(t, cfg)
	next := sineSource(1, 40, 0.1)
	for i := range 300 {
		p := []float64{next(), float64(i % 7)}
		r1, ok1, err1 := a.Push(p)
		r2, ok2, err2 := twin.Push(p)
		if err1 != nil || err2 != nil || ok1 != ok2 || !reflect.DeepEqual(r1, r2) {
			t.Fatalf("sample %d: twins differ", i)
		}
		if i%50 != 0 {
			continue
		}
		for _, bad := range [][]float64{{math.NaN(), 1}, {1, math.Inf(1)}, {1, math.Inf(-1)}} {
			if _, ok, err := a.Push(bad); !errors.Is(err, ErrNotFinite) || ok {
				t.Fatalf("Push(%v) = %v, %v; want ErrNotFinite", bad, ok, err)
			}
		}
		for _, bad := range [][]float64{{1e200, 1}, {1, -1e101}, {math.MaxFloat64, 0}} {
			if _, ok, err := a.Push(bad); !errors.Is(err, ErrOutOfRange) || ok {
				t.Fatalf("Push(%v) = %v, %v; want ErrOutOfRange", bad, ok, err)
			}
		}
		for _, bad := range [][]float64{nil, {1}, {1, 2, 3}} {
			if _, ok, err := a.Push(bad); !errors.Is(err, ErrPointSize) || ok {
				t.Fatalf("Push(%v) = %v, %v; want ErrPointSize", bad, ok, err)
			}
		}
	}
	if a.Samples() != 300 {
		t.Errorf("Samples() = %d, want 300: rejected points must not count", a.Samples())
	}
}

// TestOutOfRangeInReferenceUnits feeds a stream whose values are tiny: a value far below
// MaxValue as given but beyond it in the stream's reference units is refused (its distances
// would overflow), the state is unchanged, and the stream goes on.
func TestOutOfRangeInReferenceUnits(t *testing.T) {
	a, twin := MustAnalyzer(t, DefaultConfig()), MustAnalyzer(t, DefaultConfig())
	next := sineSource(1, 30, 0.1)
	for i := range 200 {
		v := next() * 1e-61 // amplitude 1e-60
		r1, ok1, err1 := a.Push([]float64{v})
		r2, ok2, err2 := twin.Push([]float64{v})
		if err1 != nil || err2 != nil || ok1 != ok2 || !reflect.DeepEqual(r1, r2) {
			t.Fatalf("sample %d: twins differ: %v %v", i, err1, err2)
		}
		if i < 100 {
			continue
		}
		if _, ok, err := a.Push([]float64{1e50}); !errors.Is(err, ErrOutOfRange) || ok {
			t.Fatalf("Push(1e50) on a 1e-60 stream = %v, %v; want ErrOutOfRange", ok, err)
		}
	}
	if _, _, err := a.Push([]float64{1e-58}); err != nil { // large for this stream, but analysable
		t.Fatalf("Push(1e-58): %v", err)
	}
}

func TestNotFiniteErrorNamesField(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Fields = []string{"cpu", "mem"}
	a := MustAnalyzer(t, cfg)
	_, _, err := a.Push([]float64{1, math.NaN()})
	if err == nil || err.Error() != `field "mem": stream: value is not finite` {
		t.Errorf("Push(NaN) error = %v", err)
	}
}

func TestMultivariate(t *testing.T) {
	const at = 2500
	for _, d := range []int{1, 3} {
		cfg := DefaultConfig()
		cfg.Fields = []string{"cpu", "latency_ms"}
		cfg.EmbeddingDim = d
		a := MustAnalyzer(t, cfg)
		cpu := sineSource(3, 50, 0.2)
		lat := sineSource(4, 80, 0.2)
		res := run(t, a, at+50, func(i int) []float64 {
			l := 1000 + 100*lat() // another unit and scale
			if i >= at {
				l += 800 // a jump in the second field only
			}
			return []float64{cpu(), l}
		})
		first := -1
		for i := 500; i < len(res); i++ {
			if r := res[i]; r != nil && !r.Warmup && (r.IsAnomaly || r.Scores.Total >= cfg.AnomalyThreshold) {
				first = i
				break
			}
		}
		if first < at || first > at+5 {
			t.Errorf("d = %d: first anomaly at %d, want in [%d, %d]", d, first, at, at+5)
		}
	}
}

func TestAnalysisIsFilled(t *testing.T) {
	for _, maxDim := range []int{0, 1, 2} {
		cfg := DefaultConfig()
		cfg.MaxDim, cfg.Delay, cfg.WindowSize = maxDim, 5, 30
		a := MustAnalyzer(t, cfg)
		res := run(t, a, 600, scalar(sineSource(2, 20, 0.2)))
		r := res[len(res)-1]
		if r == nil || r.Warmup {
			t.Fatalf("max_dim %d: no scored analysis at the end", maxDim)
		}
		if len(r.Landscape.X) != LandscapeResolution || len(r.Landscape.Y) != LandscapeResolution ||
			!slices.IsSorted(r.Landscape.X) || slices.Max(r.Landscape.Y) <= 0 {
			t.Errorf("max_dim %d: landscape %v", maxDim, r.Landscape)
		}
		if r.Entropy <= 0 || r.TotalLifetime <= 0 || r.Betti.H0 < 1 {
			t.Errorf("max_dim %d: entropy %v total lifetime %v betti %+v", maxDim, r.Entropy, r.TotalLifetime, r.Betti)
		}
		// A sine of period 20 embedded with delay 5 (a quarter period) is a circle.
		if maxDim >= 1 && r.Betti.H1 != 1 {
			t.Errorf("max_dim %d: betti %+v, want one loop", maxDim, r.Betti)
		}
		if maxDim < 2 && r.Betti.H2 != 0 {
			t.Errorf("max_dim %d: betti %+v, want no H2", maxDim, r.Betti)
		}
		for _, s := range []float64{r.Scores.Total, r.Scores.Betti, r.Scores.Entropy, r.Scores.ML} {
			if !(s >= 0 && s <= 100) {
				t.Errorf("max_dim %d: scores %+v out of [0, 100]", maxDim, r.Scores)
			}
		}
	}
}

func TestAppendJSON(t *testing.T) {
	a := MustAnalyzer(t, DefaultConfig())
	res := run(t, a, 500, scalar(sineSource(2, 30, 0.2)))
	r := res[len(res)-1]
	var got struct {
		IsAnomaly    *bool    `json:"is_anomaly"`
		AnomalyScore *float64 `json:"anomaly_score"`
		Scores       *Scores  `json:"scores"`
		Betti        *BettiNumbers
		BettiNumbers *BettiNumbers `json:"betti_numbers"`
		Topology     *struct {
			Entropy       float64   `json:"entropy"`
			TotalLifetime float64   `json:"total_lifetime"`
			Landscape     Landscape `json:"landscape"`
		} `json:"topology_features"`
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	if got.IsAnomaly == nil || *got.IsAnomaly != r.IsAnomaly || *got.AnomalyScore != r.AnomalyScore ||
		*got.Scores != r.Scores || *got.BettiNumbers != r.Betti || got.Topology.Entropy != r.Entropy ||
		got.Topology.TotalLifetime != r.TotalLifetime || !closeSlices(got.Topology.Landscape.X, r.Landscape.X) ||
		!closeSlices(got.Topology.Landscape.Y, r.Landscape.Y) {
		t.Errorf("AppendJSON = %s, does not match %+v", b, *r)
	}
}

// closeSlices compares landscape values as AppendJSON writes them: rounded to
// LandscapeDecimals decimals, so within half a unit of the last decimal.
func closeSlices(got, want []float64) bool {
	if len(got) != len(want) || len(got) == 0 {
		return false
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 0.5e-6*(1+1e-9) {
			return false
		}
	}
	return true
}

func TestSetConfig(t *testing.T) {
	a := MustAnalyzer(t, DefaultConfig())
	run(t, a, 300, scalar(sineSource(1, 40, 0.1)))
	cfg := DefaultConfig()
	cfg.AnomalyThreshold, cfg.Weights.ML = 80, 3
	if reset, err := a.SetConfig(cfg); err != nil || reset {
		t.Fatalf("SetConfig(threshold, weights) = %v, %v; want no reset", reset, err)
	}
	if a.Samples() != 300 || a.Config().AnomalyThreshold != 80 {
		t.Errorf("after a soft change: samples %d, config %+v", a.Samples(), a.Config())
	}
	cfg.WindowSize = 0
	if _, err := a.SetConfig(cfg); !errors.Is(err, ErrConfig) || a.Config().WindowSize != 50 {
		t.Errorf("SetConfig(bad) = %v, window %d", err, a.Config().WindowSize)
	}
	cfg.WindowSize = 30
	if reset, err := a.SetConfig(cfg); err != nil || !reset {
		t.Fatalf("SetConfig(window) = %v, %v; want reset", reset, err)
	}
	if count, needed := a.Buffered(); count != 0 || needed != 32 {
		t.Errorf("after reset Buffered() = %d, %d; want 0, 32", count, needed)
	}
	res := run(t, a, 100, scalar(sineSource(1, 40, 0.1)))
	if res[31] == nil {
		t.Error("no window after the reset")
	}
}

func TestReleaseKeepsOutputs(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Delay = AutoDelay
	a, b := MustAnalyzer(t, cfg), MustAnalyzer(t, cfg)
	src := sineSource(9, 37, 0.5)
	for i := range 3000 {
		x := math.Round(src()) // quantised values: many equal distances
		if i == 2000 {
			x += 30
		}
		ra, oka, _ := a.Push([]float64{x})
		rb, okb, _ := b.Push([]float64{x})
		if oka != okb || !reflect.DeepEqual(ra, rb) {
			t.Fatalf("sample %d: released analyzer gives %+v, want %+v", i, rb, ra)
		}
		if i%97 == 0 {
			b.Release()
		}
	}
}
