package stream

import (
	"encoding/gob"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/topoforge/topoforge/bench/nab"
)

// Scratch tuning harness (deleted before hand-off).

type recorded struct {
	Name  string
	N     int
	First int         // row of the first analysed window
	Feat  [][]float64 // per analysed row from First
	Warm  []bool
}

func recordNAB(t *testing.T, cfg Config, path string) []recorded {
	if fh, err := os.Open(path); err == nil {
		defer fh.Close()
		var out []recorded
		if gob.NewDecoder(fh).Decode(&out) == nil {
			return out
		}
	}
	c, err := nab.LoadCorpus("../../shared/data/nab")
	if err != nil {
		t.Fatal(err)
	}
	var out []recorded
	for _, s := range c.Series {
		a, err := NewAnalyzer(cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := recorded{Name: s.Name, N: len(s.Values), First: -1}
		p := []float64{0}
		for i, v := range s.Values {
			p[0] = v
			an, ok, err := a.Push(p)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				continue
			}
			if r.First < 0 {
				r.First = i
			}
			r.Feat = append(r.Feat, append(append([]float64(nil), a.feat...), a.scale()))
			r.Warm = append(r.Warm, an.Warmup)
		}
		out = append(out, r)
	}
	fh, _ := os.Create(path)
	gob.NewEncoder(fh).Encode(out)
	fh.Close()
	return out
}


// recordSines records features of stationary noisy sines (the quiet-stream check).
func recordSines(t *testing.T, cfg Config) []recorded {
	var out []recorded
	for _, noise := range []float64{0.1, 0.5} {
		for _, period := range []float64{20, 50, 100, 288} {
			for seed := uint64(1); seed <= 2; seed++ {
				rng := rand.New(rand.NewPCG(seed, 2))
				a, _ := NewAnalyzer(cfg)
				r := recorded{Name: fmt.Sprint(noise, period, seed), N: 10000, First: -1}
				for i := 0; i < r.N; i++ {
					x := 10*math.Sin(2*math.Pi*float64(i)/period) + noise*rng.NormFloat64()
					an, ok, _ := a.Push([]float64{x})
					if !ok {
						continue
					}
					if r.First < 0 {
						r.First = i
					}
					r.Feat = append(r.Feat, append([]float64(nil), a.feat...))
					r.Warm = append(r.Warm, an.Warmup)
				}
				out = append(out, r)
			}
		}
	}
	return out
}

// recordChanges records sines with a spike, a level shift and an amplitude change at
// sample 3000.
func recordChanges(t *testing.T, cfg Config) []recorded {
	var out []recorded
	for _, kind := range []int{0, 1, 2} {
		for _, period := range []float64{30, 60, 144} {
			src := sineSource(5, period, 0.3)
			a, _ := NewAnalyzer(cfg)
			r := recorded{Name: fmt.Sprint(kind, " ", period), N: 3100, First: -1}
			for i := 0; i < r.N; i++ {
				x := src()
				switch {
				case kind == 0 && i == 3000:
					x += 25
				case kind == 1 && i >= 3000:
					x += 12
				case kind == 2 && i >= 3000:
					x += 10 * math.Sin(2*math.Pi*float64(i)/period)
				}
				an, ok, _ := a.Push([]float64{x})
				if !ok {
					continue
				}
				if r.First < 0 {
					r.First = i
				}
				r.Feat = append(r.Feat, append([]float64(nil), a.feat...))
				r.Warm = append(r.Warm, an.Warmup)
			}
			out = append(out, r)
		}
	}
	return out
}

// changesMissed counts the change series without an alert in [3000, 3005].
func changesMissed(ch []recorded, cfg Config, tn tuning) int {
	miss := 0
	for name, sc := range replay(ch, cfg, tn) {
		hit := false
		var kind int
		var period float64
		fmt.Sscan(name, &kind, &period)
		end := 3005
		if kind == 2 {
			end += int(period / 4)
		}
		for i := 3000; i <= end; i++ {
			hit = hit || sc[i] >= 0.5
		}
		if !hit {
			miss++
		}
	}
	return miss
}

// sineMax returns the largest total score (0..1) over the sines after warmup.
func sineMax(sines []recorded, cfg Config, tn tuning) float64 {
	m := 0.0
	for _, sc := range replay(sines, cfg, tn) {
		for _, v := range sc {
			m = max(m, v)
		}
	}
	return m
}

func replay(recs []recorded, cfg Config, tn tuning) map[string][]float64 {
	scores := map[string][]float64{}
	for _, r := range recs {
		warmWindows := max(cfg.Warmup-(r.First+1), 0)/cfg.Stride + 1
		sc := newScorer(tn, 1, warmWindows/tn.refWindows)
		out := make([]float64, r.N)
		for i, f := range r.Feat {
			_, total := sc.observe(f, cfg.Weights)
			row := r.First + i
			if row+1 <= cfg.Warmup || !sc.ready() {
				continue
			}
			total, _ = sc.alert(total, cfg.AnomalyThreshold, cfg.Stride)
			out[row] = total / 100
		}
		scores[r.Name] = out
	}
	return scores
}

var tuneCorpus *nab.Corpus
var tuneScorer *nab.Scorer

func nabScore(t *testing.T, scores map[string][]float64, all bool) (float64, string) {
	if tuneCorpus == nil {
		c, err := nab.LoadCorpus("../../shared/data/nab")
		if err != nil {
			t.Fatal(err)
		}
		tuneCorpus, tuneScorer = c, nab.NewScorer(c)
	}
	s := ""
	std := 0.0
	for i, p := range nab.DefaultProfiles() {
		if i > 0 && !all {
			break
		}
		res, err := tuneScorer.Score(scores, p)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			std = res.Normalized
		}
		s += fmt.Sprintf("%s %.2f (th %.3f hit %d miss %d fp %d) ", p.Name, res.Normalized, res.Threshold, res.WindowsHit, res.WindowsMissed, res.FP)
	}
	return std, s
}

func TestTuneNAB(t *testing.T) {
	if os.Getenv("NABTUNE") == "" {
		t.Skip("NABTUNE unset")
	}
	cfg := DefaultConfig()
	recs := recordNAB(t, cfg, "/tmp/nabx/rec_default.gob")
	tn := defaultTuning()
	_, s := nabScore(t, replay(recs, cfg, tn), true)
	t.Logf("default: %s", s)
}

type knob struct {
	name string
	vals []float64
	set  func(tn *tuning, c *Config, v float64)
}

func TestTuneCD(t *testing.T) {
	if os.Getenv("NABTUNE") == "" {
		t.Skip("NABTUNE unset")
	}
	cfg := DefaultConfig()
	if os.Getenv("DELAY1") != "" {
		cfg.Delay = 1
	}
	recs := recordNAB(t, cfg, fmt.Sprintf("/tmp/nabx/rec4_%v.gob", cfg.Delay))
	tn := defaultTuning()
	knobs := []knob{
		{"refWindows", []float64{32, 64, 100, 128}, func(tn *tuning, c *Config, v float64) { tn.refWindows = int(v) }},
		{"full", []float64{10, 12, 13, 14, 15, 16, 18}, func(tn *tuning, c *Config, v float64) { tn.full = v }},
		{"suppress", []float64{60, 80, 100, 150, 200}, func(tn *tuning, c *Config, v float64) { tn.suppress = int(v) }},
		{"wEnt", []float64{0, 0.25, 0.5, 1, 1.5}, func(tn *tuning, c *Config, v float64) { c.Weights.Entropy = v }},
		{"wML", []float64{0.5, 1, 1.5, 2}, func(tn *tuning, c *Config, v float64) { c.Weights.ML = v }},
		{"warmup", []float64{200, 300, 400, 500}, func(tn *tuning, c *Config, v float64) { c.Warmup = int(v) }},
		{"reach", []float64{0, 0.25, 0.5, 1, 2}, func(tn *tuning, c *Config, v float64) { tn.reach = v }},
		{"recent", []float64{0, 0.5, 1, 1.5}, func(tn *tuning, c *Config, v float64) { tn.recentW = v }},
		{"h1", []float64{0, 0.25, 0.5}, func(tn *tuning, c *Config, v float64) { tn.h1W = v }},
		{"decay", []float64{0.999, 0.9995, 0.9998, 1}, func(tn *tuning, c *Config, v float64) { tn.decay = v }},
		{"binWidth", []float64{0.2, 0.25, 0.3}, func(tn *tuning, c *Config, v float64) { tn.binWidth = v }},
		{"prior", []float64{0.03, 0.1, 0.25}, func(tn *tuning, c *Config, v float64) { tn.prior = v }},
		{"holdCap", []float64{0, 0.5, 0.9}, func(tn *tuning, c *Config, v float64) { tn.holdCap = v }},
	}
	cur := map[string]float64{}
	for _, k := range knobs {
		cur[k.name] = math.NaN()
	}
	sines := recordSines(t, cfg)
	if v := os.Getenv("FULL"); v != "" {
		fmt.Sscan(v, &tn.full)
	}
	changes := recordChanges(t, cfg)
	obj := func(cfg Config, tn tuning) float64 {
		s, _ := nabScore(t, replay(recs, cfg, tn), false)
		s -= 10 * float64(changesMissed(changes, cfg, tn))
		if m := sineMax(sines, cfg, tn); m >= 0.46 {
			s -= 200 * (m - 0.46)
		}
		return s
	}
	best := obj(cfg, tn)
	t.Logf("start %.2f sine max %.3f missed %d", best, sineMax(sines, cfg, tn), changesMissed(changes, cfg, tn))
	for round := 0; round < 3; round++ {
		for _, k := range knobs {
			bv := math.NaN()
			for _, v := range k.vals {
				tn2, c2 := tn, cfg
				k.set(&tn2, &c2, v)
				s := obj(c2, tn2)
				if s > best+1e-9 {
					best, bv = s, v
				}
			}
			if !math.IsNaN(bv) {
				k.set(&tn, &cfg, bv)
				cur[k.name] = bv
				t.Logf("%s = %v -> %.2f (sine max %.3f, missed %d)", k.name, bv, best, sineMax(sines, cfg, tn), changesMissed(changes, cfg, tn))
			}
		}
	}
	_, s := nabScore(t, replay(recs, cfg, tn), true)
	t.Logf("final %+v weights %+v: %s", tn, cfg.Weights, s)
	t.Logf("sine max %.3f, changes missed %d", sineMax(sines, cfg, tn), changesMissed(changes, cfg, tn))
}

func TestTuneDiag(t *testing.T) {
	if os.Getenv("NABTUNE") == "" {
		t.Skip("NABTUNE unset")
	}
	cfg := DefaultConfig()
	if os.Getenv("DELAY1") != "" {
		cfg.Delay = 1
	}
	recs := recordNAB(t, cfg, fmt.Sprintf("/tmp/nabx/rec4_%v.gob", cfg.Delay))
	scores := replay(recs, cfg, defaultTuning())
	nabScore(t, scores, false)
	res, _ := tuneScorer.Score(scores, nab.DefaultProfiles()[0])
	t.Logf("std %.2f th %.3f hit %d missed %d FP rows %d", res.Normalized, res.Threshold, res.WindowsHit, res.WindowsMissed, res.FP)
	for _, f := range res.Files {
		t.Logf("  %-55s %6.2f hit %d miss %d fp %d", f.Name, f.Score, f.WindowsHit, f.WindowsMissed, f.FP)
		if os.Getenv("PLOT") != "" {
			s, _ := tuneCorpus.Find(f.Name)
			plotSeries(plotName("/tmp/nabx/plots3", f.Name), s, scores[f.Name], res.Threshold)
		}
	}
}


