//go:build !race

package stream

import (
	"runtime"
	"testing"
)

func TestPushDoesNotAllocate(t *testing.T) {
	for _, maxDim := range []int{0, 1, 2} {
		cfg := DefaultConfig()
		cfg.MaxDim = maxDim
		cfg.Fields = []string{"a", "b"}
		a := MustAnalyzer(t, cfg)
		next, other := sineSource(1, 50, 0.3), sineSource(2, 80, 0.3)
		p := []float64{0, 0}
		push := func() {
			p[0], p[1] = next(), other()
			if _, _, err := a.Push(p); err != nil {
				t.Fatal(err)
			}
		}
		for range 1500 {
			push()
		}
		if n := testing.AllocsPerRun(500, push); n != 0 {
			t.Errorf("max_dim %d: Push allocates %v times per event, want 0", maxDim, n)
		}
	}
}

func TestAppendJSONDoesNotAllocate(t *testing.T) {
	a := MustAnalyzer(t, DefaultConfig())
	var res Analysis
	next := sineSource(1, 50, 0.3)
	for range 600 {
		res, _, _ = a.Push([]float64{next()})
	}
	buf := make([]byte, 0, 4096)
	if n := testing.AllocsPerRun(100, func() { buf = res.AppendJSON(buf[:0]) }); n != 0 {
		t.Errorf("AppendJSON allocates %v times, want 0", n)
	}
}

// TestIdleMemory checks the memory of idle analyzers: new ones, and used ones after
// Release. The target is 10,000 idle sessions in 640 MB, 40 KB each at most.
func TestIdleMemory(t *testing.T) {
	const n = 100
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	keep := make([]*Analyzer, n)
	before := heap()
	for i := range keep {
		keep[i] = MustAnalyzer(t, DefaultConfig())
	}
	fresh := float64(heap()-before) / n
	for _, a := range keep {
		next := sineSource(1, 50, 0.3)
		for range 500 {
			a.Push([]float64{next()})
		}
	}
	active := float64(heap()-before) / n
	for _, a := range keep {
		a.Release()
	}
	released := float64(heap()-before) / n
	t.Logf("bytes per analyzer: new %.0f, active %.0f, released %.0f", fresh, active, released)
	if fresh > 40<<10 || released > 40<<10 {
		t.Errorf("idle analyzers take %.0f (new) and %.0f (released) bytes, want <= 40 KB", fresh, released)
	}
	runtime.KeepAlive(keep)
}
