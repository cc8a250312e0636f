package stream

import (
	"flag"
	"fmt"
	"math"
	"testing"
)

var manySines = flag.Bool("stream.sines", false, "run TestManySinesStayQuiet: 128 noisy sines of 10,000 samples (about a minute)")

// quietSines are the stationary streams that must never reach the default threshold:
// periods 20 to 288 samples, noise of 1 to 5 % of the amplitude, 4 seeds each.
var quietSines = func() (out []struct {
	period, noise float64
	seed          uint64
}) {
	for _, p := range []float64{20, 24, 37, 60, 100, 144, 200, 288} {
		for _, n := range []float64{0.1, 0.2, 0.3, 0.5} {
			for seed := range uint64(4) {
				out = append(out, struct {
					period, noise float64
					seed          uint64
				}{p, n, seed + 1})
			}
		}
	}
	return out
}()

// phasedSine is sineSource started at a phase that depends on seed: 0, 90, 180 and 270
// degrees for seeds 1 to 4.
func phasedSine(seed uint64, period, noise float64) func() float64 {
	next := sineSource(seed, period, noise)
	for range int(float64(seed-1) * period / 4) {
		next()
	}
	return next
}

// TestEarlyRangeSinesStayQuiet feeds the quiet sines, each at 8 phases, to the early
// detector alone for their whole length: a stationary stream never leaves its own range
// by half of it.
func TestEarlyRangeSinesStayQuiet(t *testing.T) {
	worst := 0.0
	for _, s := range quietSines {
		for phase := range 8 {
			e := newEarlyRange(1)
			next := sineSource(s.seed, s.period, s.noise)
			for range int(float64(phase) * s.period / 8) {
				next()
			}
			p := []float64{0}
			peak := 0.0
			for i := range 10000 {
				p[0] = next()
				e.push(p, int64(i), 51) // as the default analyzer does
				peak = math.Max(peak, e.take())
			}
			if peak >= DefaultAnomalyThreshold {
				t.Errorf("period %v noise %v seed %d phase %d/8: early score %.1f, want < %v",
					s.period, s.noise, s.seed, phase, peak, DefaultAnomalyThreshold)
			}
			worst = math.Max(worst, peak)
		}
	}
	t.Logf("%d sines at 8 phases: worst early score %.1f", len(quietSines), worst)
}

func TestEarlyRange(t *testing.T) {
	f := func(name string, samples []float64, want float64) {
		t.Helper()
		e := newEarlyRange(1)
		for i, v := range samples {
			e.push([]float64{v}, int64(i), 2)
		}
		if got := e.take(); math.Abs(got-want) > 1e-6*want {
			t.Errorf("%s: score = %v, want %v", name, got, want)
		}
		if got := e.take(); got != 0 {
			t.Errorf("%s: score after take = %v, want 0", name, got)
		}
	}
	f("Inside", []float64{0, 10, 5, 0, 10}, 0)
	f("Above", []float64{0, 10, 13}, 30)
	f("Below", []float64{0, 10, -5}, 50)
	f("Largest", []float64{0, 10, 13, 11}, 30)
	f("Capped", []float64{0, 10, 1000}, 100)
	f("FromConstant", []float64{3, 3, 3, 4}, 100)
	f("NotScoredYet", []float64{0, 50, 51}, 2)
	one := 1.0
	f("RangeFloor", []float64{1, 1, one + 1e-12}, 100*(one+1e-12-one)/1e-9) // floor 1e-9 of the magnitude
}

// TestWarmupChangesAreFlagged injects gross changes into a sine while the analyzer warms
// up: the early detector flags them at once, and once only.
func TestWarmupChangesAreFlagged(t *testing.T) {
	const at = 200
	for _, tc := range []struct {
		name   string
		change func(i int) float64
	}{
		{"Spike", func(i int) float64 {
			if i == at {
				return 25
			}
			return 0
		}},
		{"LevelShift", func(i int) float64 {
			if i >= at {
				return 30
			}
			return 0
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := MustAnalyzer(t, DefaultConfig())
			base := sineSource(5, 60, 0.3)
			res := run(t, a, 600, func(i int) []float64 { return []float64{base() + tc.change(i)} })
			var alerts []int
			for i, r := range res {
				if r != nil && r.IsAnomaly {
					alerts = append(alerts, i)
				}
			}
			if len(alerts) != 1 || alerts[0] != at {
				t.Fatalf("alerts at samples %v, want [%d]", alerts, at)
			}
			r := res[at]
			if !r.Warmup || r.Scores.Total < DefaultAnomalyThreshold || r.AnomalyScore != r.Scores.Total {
				t.Errorf("analysis at the change: warmup %v, scores %+v, anomaly score %v", r.Warmup, r.Scores, r.AnomalyScore)
			}
		})
	}
}

// TestManySinesStayQuiet runs the full analyzer over the quiet sines (with -stream.sines):
// no window, warmup included, reaches the default threshold.
func TestManySinesStayQuiet(t *testing.T) {
	if !*manySines {
		t.Skip("128 sines of 10,000 samples take about a minute: run with -stream.sines")
	}
	worst, worstWarm, where := 0.0, 0.0, ""
	for _, s := range quietSines {
		a := MustAnalyzer(t, DefaultConfig())
		res := run(t, a, 10000, scalar(phasedSine(s.seed, s.period, s.noise)))
		peak, warm := 0.0, 0.0
		for _, r := range res {
			if r == nil {
				continue
			}
			if r.IsAnomaly || r.Scores.Total >= DefaultAnomalyThreshold {
				t.Errorf("period %v noise %v seed %d: sample %d: total %.1f", s.period, s.noise, s.seed, r.Sample, r.Scores.Total)
				break
			}
			peak = math.Max(peak, r.Scores.Total)
			if r.Warmup {
				warm = math.Max(warm, r.Scores.Total)
			}
		}
		worstWarm = math.Max(worstWarm, warm)
		if peak > worst {
			worst, where = peak, fmt.Sprintf("period %v noise %v seed %d (warmup peak %.1f)", s.period, s.noise, s.seed, warm)
		}
	}
	t.Logf("%d sines: worst peak %.1f, %s; worst in the warmup %.1f", len(quietSines), worst, where, worstWarm)
}
