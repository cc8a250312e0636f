//go:build !race

package tda

import (
	"math/rand/v2"
	"testing"
)

func TestSlidingWindowAllocs(t *testing.T) {
	sw, err := NewSlidingWindow(WindowConfig{Points: 50, Dim: 3, Delay: 2, Options: Options{MaxDim: 1}})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(71, 72))
	x := 0.0
	step := func() {
		x += rng.NormFloat64()
		if _, err := sw.PushSample(x); err != nil {
			t.Fatal(err)
		}
		if sw.Len() == 0 {
			return
		}
		if _, err := sw.Diagram(); err != nil {
			t.Fatal(err)
		}
	}
	for range 500 { // fill the window and let the buffers grow
		step()
	}
	if a := testing.AllocsPerRun(200, step); a != 0 {
		t.Errorf("allocations per window = %v, want 0", a)
	}
}

func TestWorkspaceAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(73, 74))
	pts := make([]float64, 3*120)
	for i := range pts {
		pts[i] = rng.Float64()
	}
	var w Workspace
	run := func() {
		if _, err := w.Persistence(pts, 3, Options{MaxDim: 2}); err != nil {
			t.Fatal(err)
		}
	}
	run()
	if a := testing.AllocsPerRun(5, run); a != 0 {
		t.Errorf("allocations per call = %v, want 0", a)
	}
}
