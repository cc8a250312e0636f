// Package benchtda benchmarks the topology engine against the Debian ripser command.
//
//	apt-get install -y ripser   # optional: without it only our times are reported
//	go test ./bench/tda -run '^$' -bench . -benchtime 1s -count 1
//
// Each Rips benchmark reports ns/op (ours, one Workspace reused), ripser-ns/op (the
// fastest of three runs of `ripser --format point-cloud --dim k`, process start and file
// parsing included) and x-ripser = ours / ripser. On Linux it also reports CPU time,
// cpu-ns/op, ripser-cpu-ns/op and x-ripser-cpu, which hold up better than wall time when
// other jobs share the machine.
package benchtda

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/topoforge/topoforge/tda"
)

var sink tda.Diagram

func BenchmarkRips(b *testing.B) {
	cases := []struct{ n, maxDim int }{
		{100, 1}, {200, 1}, {400, 1}, {800, 1},
		{100, 2}, {200, 2},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("H%d/n=%d", c.maxDim, c.n), func(b *testing.B) {
			pts := uniformCloud(c.n, 3)
			var w tda.Workspace
			opt := tda.Options{MaxDim: c.maxDim}
			if _, err := w.Persistence(pts, 3, opt); err != nil { // grow the buffers
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(pts) * 8))
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer() // reads the memory statistics before, not during, the CPU window
			start, cpu0 := time.Now(), threadCPU()
			for range b.N {
				d, err := w.Persistence(pts, 3, opt)
				if err != nil {
					b.Fatal(err)
				}
				sink = d
			}
			ours := time.Since(start) / time.Duration(b.N)
			oursCPU := reportCPU(b, cpu0)
			b.StopTimer() // ripser's runs are not ours
			ReportRipserRatio(b, pts, 3, c.maxDim, ours, oursCPU)
		})
	}
}

// BenchmarkSlidingWindow measures one streaming step, a push and the diagram of the
// window (H0+H1, W = 50 points in 3-D, stride 1), in steady state.
func BenchmarkSlidingWindow(b *testing.B) {
	b.Run("takens/W=50/d=3", func(b *testing.B) {
		sw, err := tda.NewSlidingWindow(tda.WindowConfig{Points: 50, Dim: 3, Delay: 2, Options: tda.Options{MaxDim: 1}})
		if err != nil {
			b.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		x := 0.0
		step := func() {
			x += rng.NormFloat64() // a random walk
			if _, err := sw.PushSample(x); err != nil {
				b.Fatal(err)
			}
			if sw.Len() == 0 {
				return
			}
			d, err := sw.Diagram()
			if err != nil {
				b.Fatal(err)
			}
			sink = d
		}
		for range 100 {
			step()
		}
		b.ReportAllocs()
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		b.ResetTimer()
		cpu0 := threadCPU()
		for range b.N {
			step()
		}
		reportCPU(b, cpu0)
	})
	b.Run("points/W=50/dim=3", func(b *testing.B) {
		sw, err := tda.NewSlidingWindow(tda.WindowConfig{Points: 50, Dim: 3, Options: tda.Options{MaxDim: 1}})
		if err != nil {
			b.Fatal(err)
		}
		pts := uniformCloud(4096, 3)
		i := 0
		step := func() {
			if err := sw.PushPoint(pts[i*3 : i*3+3]); err != nil {
				b.Fatal(err)
			}
			i = (i + 1) % 4096
			d, err := sw.Diagram()
			if err != nil {
				b.Fatal(err)
			}
			sink = d
		}
		for range 100 {
			step()
		}
		b.ReportAllocs()
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		b.ResetTimer()
		cpu0 := threadCPU()
		for range b.N {
			step()
		}
		reportCPU(b, cpu0)
	})
}

// minCPUWindow is the shortest run whose CPU time is reported: the scheduler updates a
// running thread's counter at each tick (a few ms), so shorter runs are too coarse.
const minCPUWindow = 100 * time.Millisecond

// reportCPU reports the thread CPU time per op since cpu0 as cpu-ns/op and returns it.
// It returns 0 where thread CPU time is not available or the run was too short.
func reportCPU(b *testing.B, cpu0 time.Duration) time.Duration {
	if cpu0 == 0 {
		return 0
	}
	total := threadCPU() - cpu0
	if total < minCPUWindow {
		return 0
	}
	per := total / time.Duration(b.N)
	b.ReportMetric(float64(per.Nanoseconds()), "cpu-ns/op")
	return per
}
