//go:build linux

package odds

import (
	"flag"
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/topoforge/topoforge/detect"
)

var speed = flag.Bool("odds.speed", false, "measure the speed targets in thread CPU time and print a table")

// cpuTime returns the CPU time used by the calling OS thread. On a machine
// shared with other work it is steadier than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// bestOf runs fn reps times and returns the smallest thread CPU time.
func bestOf(reps int, fn func()) time.Duration {
	best := time.Duration(1 << 62)
	for range reps {
		s := cpuTime()
		fn()
		best = min(best, cpuTime()-s)
	}
	return best
}

// TestSpeedTargets measures the speed targets on one core (the
// goroutine is locked to its thread; the best of several runs counts).
func TestSpeedTargets(t *testing.T) {
	if !*speed {
		t.Skip("speed targets run with -odds.speed")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	s := mustSetT(t, "shuttle.csv")
	tab := s.Table()
	d, err := detect.New("IsolationForest", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Fit(tab); err != nil {
		t.Fatal(err)
	}
	x := s.Matrix()
	n := len(s.Rows)
	nf := d.NumFeatures()
	var b strings.Builder
	b.WriteString("| target | measured | goal |\n|---|---:|---:|\n")

	dst := make([]float64, n)
	el := bestOf(7, func() { dst = d.ScoreBatch(dst, x) })
	fmt.Fprintf(&b, "| IsolationForest batch scoring, shuttle (49097 × 9), ScoreBatch | %.0f rows/s | ≥ 700000 rows/s |\n", float64(n)/el.Seconds())

	el = bestOf(3, func() {
		if _, err := d.Score(tab); err != nil {
			t.Fatal(err)
		}
	})
	fmt.Fprintf(&b, "| IsolationForest Score(Table) with explanations, shuttle | %.0f rows/s | – |\n", float64(n)/el.Seconds())

	var sink float64
	el = bestOf(7, func() {
		for i := 0; i < n; i++ {
			sink += d.ScoreVector(x[i*nf : (i+1)*nf])
		}
	})
	allocs := testing.AllocsPerRun(1000, func() { sink += d.ScoreVector(x[:nf]) })
	fmt.Fprintf(&b, "| IsolationForest single row, ScoreVector | %.2f µs, %v allocs | ≤ 2 µs, 0 allocs |\n", el.Seconds()/float64(n)*1e6, allocs)

	buf := make([]float64, nf)
	el = bestOf(5, func() {
		for i := 0; i < n; i++ {
			buf, _ = d.Vector(buf, tab.Columns, tab.Rows[i])
			q, _, _ := d.Calibrate(d.ScoreVector(buf))
			sink += q
		}
	})
	allocs = testing.AllocsPerRun(1000, func() {
		buf, _ = d.Vector(buf, tab.Columns, tab.Rows[7])
		q, _, _ := d.Calibrate(d.ScoreVector(buf))
		sink += q
	})
	fmt.Fprintf(&b, "| IsolationForest row path: Vector([]any) + ScoreVector + Calibrate | %.2f µs, %v allocs | – |\n", el.Seconds()/float64(n)*1e6, allocs)
	_ = sink

	big := synthetic(100_000, 10)
	el = bestOf(3, func() {
		f, _ := detect.New("IsolationForest", nil)
		if err := f.Fit(big); err != nil {
			t.Fatal(err)
		}
	})
	fmt.Fprintf(&b, "| IsolationForest Fit, 100k rows × 10 (preparation, trees, training scores, calibration) | %.0f ms | < 200 ms |\n", el.Seconds()*1e3)

	lofTab := synthetic(20_000, 4)
	el = bestOf(3, func() {
		f, _ := detect.New("LOF", nil)
		if _, err := f.FitScore(lofTab); err != nil {
			t.Fatal(err)
		}
	})
	fmt.Fprintf(&b, "| LOF fit + score, 20k rows × 4, k = 20 | %.0f ms | < 2000 ms |\n", el.Seconds()*1e3)

	for _, algo := range []string{"LOF", "KNN"} {
		memTab := synthetic(50_000, 10)
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		s0 := cpuTime()
		f, _ := detect.New(algo, nil)
		if _, err := f.FitScore(memTab); err != nil {
			t.Fatal(err)
		}
		el = cpuTime() - s0
		runtime.ReadMemStats(&m1)
		fmt.Fprintf(&b, "| %s fit + score, 50k rows × 10: bytes allocated (bounds peak memory) | %.0f MB in %.1f s | well under 1 GB |\n", algo, float64(m1.TotalAlloc-m0.TotalAlloc)/1e6, el.Seconds())
	}
	t.Log("\n" + b.String())
}

func mustSetT(t *testing.T, name string) *Set {
	t.Helper()
	s, err := LoadSet(Dir() + "/" + name)
	if err != nil {
		t.Skipf("ODDS data not found in %s (set %s): %v", Dir(), EnvDir, err)
	}
	return s
}

var timing = flag.Bool("odds.timing", false, "time Fit (which scores the training rows) per set for the compared algorithms, in thread CPU time")

// TestFitTiming times Fit per set and algorithm. Fit includes input
// preparation, the model, the training scores and the calibration, so it
// compares with scikit-learn's fit + score_samples on the same rows.
func TestFitTiming(t *testing.T) {
	if !*timing {
		t.Skip("per-set timing runs with -odds.timing")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	dir := mustDir(t)
	names, _ := SetNames(dir)
	algos := []algoRun{}
	for _, r := range runs() {
		if r.ref != "" {
			algos = append(algos, r)
		}
	}
	var b strings.Builder
	b.WriteString("| dataset |")
	for _, r := range algos {
		fmt.Fprintf(&b, " %s |", r.label)
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", len(algos)) + "\n")
	for _, n := range names {
		s := mustSetT(t, n)
		tab := s.Table()
		fmt.Fprintf(&b, "| %s |", n)
		for _, r := range algos {
			if r.label == "OneClassSVM" && len(s.Rows) > 20000 {
				b.WriteString(" skip |")
				continue
			}
			d, err := detect.New(r.algorithm, r.params(s))
			if err != nil {
				t.Fatal(err)
			}
			s0 := cpuTime()
			if err := d.Fit(tab); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, " %.3f |", (cpuTime() - s0).Seconds())
		}
		b.WriteString("\n")
	}
	t.Log("\n" + b.String())
}
