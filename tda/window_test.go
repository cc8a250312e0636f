package tda

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// windowPoints returns the points of the last w rows, oldest first, flattened.
func windowPoints(all [][]float64, w int) []float64 {
	return slices.Concat(all[max(len(all)-w, 0):]...)
}

func TestSlidingWindowMatchesWorkspace(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	for i, opt := range []Options{{MaxDim: 1}, {MaxDim: 2}, {MaxDim: 1, MaxEdge: 0.4}, {MaxDim: 0}} {
		sw, err := NewSlidingWindow(WindowConfig{Points: 15, Dim: 2, Options: opt})
		if err != nil {
			t.Fatal(err)
		}
		var w Workspace
		var all [][]float64
		for step := range 60 {
			p := []float64{rng.Float64(), rng.Float64()}
			if step%7 == 3 {
				p = slices.Clone(all[len(all)-1]) // duplicates and ties
			}
			all = append(all, p)
			if err := sw.PushPoint(p); err != nil {
				t.Fatal(err)
			}
			got, err := sw.Diagram()
			if err != nil {
				t.Fatal(err)
			}
			want, err := w.Persistence(windowPoints(all, 15), 2, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !equalDiagrams(got, want) {
				t.Fatalf("%d: step %d: window %v, workspace %v", i, step, got, want)
			}
			if sw.Len() != min(step+1, 15) || sw.Full() != (step >= 14) {
				t.Fatalf("%d: step %d: Len %d Full %v", i, step, sw.Len(), sw.Full())
			}
		}
	}
}

func TestSlidingWindowTakens(t *testing.T) {
	const d, tau, w = 3, 2, 20
	sw, err := NewSlidingWindow(WindowConfig{Points: w, Dim: d, Delay: tau, Options: Options{MaxDim: 1}})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(61, 62))
	var series []float64
	var ws Workspace
	for i := range 80 {
		x := math.Sin(float64(i)/3) + 0.1*rng.NormFloat64()
		series = append(series, x)
		added, err := sw.PushSample(x)
		if err != nil {
			t.Fatal(err)
		}
		if want := i >= (d-1)*tau; added != want {
			t.Fatalf("sample %d: added = %v, want %v", i, added, want)
		}
		if !added {
			continue
		}
		start := max(len(series)-(w+(d-1)*tau), 0)
		pts := TakensTo(nil, series[start:], d, tau)
		want, err := ws.Persistence(pts, d, Options{MaxDim: 1})
		if err != nil {
			t.Fatal(err)
		}
		got, err := sw.Diagram()
		if err != nil {
			t.Fatal(err)
		}
		if !equalDiagrams(got, want) {
			t.Fatalf("sample %d: window %v, TakensTo %v", i, got, want)
		}
	}
	sw.Reset()
	if _, err := sw.Diagram(); !errors.Is(err, ErrNoPoints) {
		t.Errorf("Diagram after Reset: error = %v, want ErrNoPoints", err)
	}
	if _, err := sw.PushSample(math.NaN()); !errors.Is(err, ErrNotFinite) {
		t.Errorf("PushSample(NaN): error = %v, want ErrNotFinite", err)
	}
}

func TestNewSlidingWindowErrors(t *testing.T) {
	for i, cfg := range []WindowConfig{
		{Points: 0, Dim: 1},
		{Points: 10, Dim: 0},
		{Points: 10, Dim: 2, Options: Options{MaxDim: 3}},
	} {
		if _, err := NewSlidingWindow(cfg); err == nil {
			t.Errorf("%d: NewSlidingWindow(%+v) did not fail", i, cfg)
		}
	}
}
