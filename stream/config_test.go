package stream

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v, want nil", err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"anomaly_threshold":50,"window_size":50,"stride":1,"embedding_dim":3,"delay":1,"max_dim":1,` +
		`"weights":{"betti":1.125,"entropy":0.85,"ml":1.5},"fields":["value"],"warmup":400}`
	if string(b) != want {
		t.Errorf("json.Marshal(DefaultConfig()) = %s, want %s", b, want)
	}
}

func TestConfigValidate(t *testing.T) {
	f := func(name string, change func(c *Config), field string) {
		t.Helper()
		c := DefaultConfig()
		change(&c)
		err := c.Validate()
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: Validate() = %v, want ErrConfig naming %s", name, err, field)
		}
		if err != nil && strings.ToLower(err.Error()[:1]) != err.Error()[:1] {
			t.Errorf("%s: error %q does not start in lowercase", name, err)
		}
		if _, err := NewAnalyzer(c); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: NewAnalyzer() error = %v, want ErrConfig", name, err)
		}
	}
	f("ErrThresholdLow", func(c *Config) { c.AnomalyThreshold = -1 }, "anomaly_threshold")
	f("ErrThresholdHigh", func(c *Config) { c.AnomalyThreshold = 100.5 }, "anomaly_threshold")
	f("ErrThresholdNaN", func(c *Config) { c.AnomalyThreshold = nan() }, "anomaly_threshold")
	f("ErrWindowSmall", func(c *Config) { c.WindowSize = MinWindowSize - 1 }, "window_size")
	f("ErrWindowLarge", func(c *Config) { c.WindowSize = MaxWindowSize + 1 }, "window_size")
	f("ErrStrideZero", func(c *Config) { c.Stride = 0 }, "stride")
	f("ErrStrideOverWindow", func(c *Config) { c.Stride = c.WindowSize + 1 }, "stride")
	f("ErrEmbeddingDim", func(c *Config) { c.EmbeddingDim = 0 }, "embedding_dim")
	f("ErrEmbeddingDimLarge", func(c *Config) { c.EmbeddingDim = MaxEmbeddingDim + 1 }, "embedding_dim")
	f("ErrDelayNegative", func(c *Config) { c.Delay = -2 }, "delay")
	f("ErrDelayLarge", func(c *Config) { c.Delay = MaxDelay + 1 }, "delay")
	f("ErrMaxDim", func(c *Config) { c.MaxDim = 3 }, "max_dim")
	f("ErrMaxDimNegative", func(c *Config) { c.MaxDim = -1 }, "max_dim")
	f("ErrWarmup", func(c *Config) { c.Warmup = -1 }, "warmup")
	f("ErrWeightNegative", func(c *Config) { c.Weights.Entropy = -0.1 }, "weights.entropy")
	f("ErrWeightLarge", func(c *Config) { c.Weights.ML = MaxWeight + 1 }, "weights.ml")
	f("ErrWeightsZero", func(c *Config) { c.Weights = Weights{} }, "weights")
	f("ErrFieldsEmpty", func(c *Config) { c.Fields = nil }, "fields")
	f("ErrFieldsMany", func(c *Config) { c.Fields = make([]string, MaxFields+1) }, "fields")
	f("ErrFieldName", func(c *Config) { c.Fields = []string{""} }, "fields")
	f("ErrFieldRepeated", func(c *Config) { c.Fields = []string{"a", "b", "a"} }, "fields")
	f("ErrPointDim", func(c *Config) {
		c.Fields = []string{"a", "b", "c", "d", "e"}
		c.EmbeddingDim = MaxEmbeddingDim
	}, "fields")
}

func nan() float64 { z := 0.0; return z / z }

func TestConfigJSON(t *testing.T) {
	t.Run("OverDefaults", func(t *testing.T) {
		c := DefaultConfig()
		if err := json.Unmarshal([]byte(`{"anomaly_threshold":75,"delay":"auto","weights":{"ml":2}}`), &c); err != nil {
			t.Fatal(err)
		}
		want := DefaultConfig()
		want.AnomalyThreshold, want.Delay, want.Weights.ML = 75, AutoDelay, 2
		if got, _ := json.Marshal(c); string(got) != string(mustJSON(t, want)) {
			t.Errorf("decoded config = %s, want %s", got, mustJSON(t, want))
		}
		if err := c.Validate(); err != nil {
			t.Errorf("Validate() = %v", err)
		}
	})
	t.Run("Delay", func(t *testing.T) {
		for _, tc := range []struct {
			in   string
			want Delay
			ok   bool
		}{{`"auto"`, AutoDelay, true}, {`4`, 4, true}, {`4.0`, 4, true}, {`0`, -1, true}, {`2.5`, 0, false}, {`"x"`, 0, false}, {`null`, AutoDelay, true}} {
			var d Delay
			err := json.Unmarshal([]byte(tc.in), &d)
			if (err == nil) != tc.ok || (tc.ok && d != tc.want) {
				t.Errorf("Unmarshal(%s) = %v, %v; want %v, ok %v", tc.in, d, err, tc.want, tc.ok)
			}
		}
		c := DefaultConfig()
		if err := json.Unmarshal([]byte(`{"delay":0}`), &c); err != nil {
			t.Fatal(err)
		}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "delay") {
			t.Errorf("Validate() of delay 0 = %v, want an error naming delay", err)
		}
		if b, _ := json.Marshal(AutoDelay); string(b) != `"auto"` {
			t.Errorf("Marshal(AutoDelay) = %s, want \"auto\"", b)
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
