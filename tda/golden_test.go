package tda

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// tol is the relative tolerance of the golden comparisons: |got - want| <= tol*scale, with
// scale the largest finite death of the case. Endpoints are pairwise distances computed
// the same way as GUDHI's (float64, coordinate order) and agree to the last bit or nearly;
// distances between diagrams are sums of such values whose order differs from POT's and
// GUDHI's, which changes only the last bits. Scaling by the case keeps the check relative
// for large_coords (1e6) and small_coords (1e-6).
const tol = 1e-9

var goldenDir = filepath.Join("..", "..", "shared", "testdata", "tda")

type goldenInput struct {
	Points  [][]float64 `json:"points"`
	Series  []float64   `json:"series"`
	Dim     int         `json:"dim"`
	Delay   int         `json:"delay"`
	Window  int         `json:"window"`
	Stride  int         `json:"stride"`
	MaxDim  int         `json:"max_dim"`
	MaxEdge *float64    `json:"max_edge"`
}

type goldenDiagrams map[string][][2]*float64

type goldenExpected struct {
	Diagrams goldenDiagrams `json:"diagrams"`
	Windows  []struct {
		Diagrams    goldenDiagrams      `json:"diagrams"`
		Bottleneck  map[string]*float64 `json:"bottleneck_prev"`
		Wasserstein map[string]*float64 `json:"wasserstein1_prev"`
	} `json:"windows"`
}

// goldenCases returns the case names, skipping the test if the vectors are absent.
func goldenCases(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(goldenDir, "*.input.json"))
	if err != nil || len(names) == 0 {
		t.Skipf("golden vectors not found in %s (shared/ must sit beside the repository)", goldenDir)
	}
	for i, n := range names {
		names[i] = strings.TrimSuffix(filepath.Base(n), ".input.json")
	}
	return names
}

func mustReadJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestGoldenDiagrams(t *testing.T) {
	var w Workspace
	for _, name := range goldenCases(t) {
		var in goldenInput
		var want goldenExpected
		mustReadJSON(t, filepath.Join(goldenDir, name+".input.json"), &in)
		mustReadJSON(t, filepath.Join(goldenDir, name+".expected.json"), &want)
		opt := Options{MaxDim: in.MaxDim}
		if in.MaxEdge != nil {
			opt.MaxEdge = *in.MaxEdge
		}
		t.Run(name, func(t *testing.T) {
			switch {
			case in.Window > 0:
				checkStream(t, in, want, opt)
			case in.Series != nil:
				pts := TakensTo(nil, in.Series, in.Dim, in.Delay)
				got, err := w.Persistence(pts, in.Dim, opt)
				if err != nil {
					t.Fatal(err)
				}
				compareDiagram(t, got, want.Diagrams)
			default:
				got, err := w.Persistence(slices.Concat(in.Points...), len(in.Points[0]), opt)
				if err != nil {
					t.Fatal(err)
				}
				compareDiagram(t, got, want.Diagrams)
			}
		})
	}
}

// checkStream runs the streaming case through a SlidingWindow fed one sample at a time.
func checkStream(t *testing.T, in goldenInput, want goldenExpected, opt Options) {
	t.Helper()
	pointsPerWindow := TakensLen(in.Window, in.Dim, in.Delay)
	sw, err := NewSlidingWindow(WindowConfig{Points: pointsPerWindow, Dim: in.Dim, Delay: in.Delay, Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	var prev Diagram
	wi := 0
	for i, x := range in.Series {
		if _, err := sw.PushSample(x); err != nil {
			t.Fatal(err)
		}
		end := i + 1 // samples x[0:end] seen; window wi covers x[wi*S : wi*S+W]
		if end < in.Window || (end-in.Window)%in.Stride != 0 {
			continue
		}
		got, err := sw.Diagram()
		if err != nil {
			t.Fatal(err)
		}
		if wi >= len(want.Windows) {
			t.Fatalf("window %d: not in the expected file", wi)
		}
		ww := want.Windows[wi]
		compareDiagram(t, got, ww.Diagrams)
		if prev != nil {
			scale := diagramScale(got, prev)
			for k := range got {
				key := strconv.Itoa(k)
				compareDistance(t, "bottleneck", wi, k, Bottleneck(prev[k], got[k]), ww.Bottleneck[key], scale)
				compareDistance(t, "wasserstein1", wi, k, Wasserstein1(prev[k], got[k]), ww.Wasserstein[key], scale)
			}
		}
		prev = got.Clone()
		wi++
	}
	if wi != len(want.Windows) {
		t.Errorf("windows = %d, want %d", wi, len(want.Windows))
	}
}

func compareDistance(t *testing.T, what string, wi, k int, got float64, want *float64, scale float64) {
	t.Helper()
	if want == nil {
		if !math.IsInf(got, 1) {
			t.Errorf("window %d: %s H%d = %v, want +Inf (null)", wi, what, k, got)
		}
		return
	}
	if math.Abs(got-*want) > tol*scale {
		t.Errorf("window %d: %s H%d = %v, want %v", wi, what, k, got, *want)
	}
}

// diagramScale returns the largest finite death of the diagrams, at least 1e-300.
func diagramScale(ds ...Diagram) float64 {
	s := 1e-300
	for _, d := range ds {
		for _, bars := range d {
			for _, b := range bars {
				if b.Finite() {
					s = max(s, b.Death)
				}
			}
		}
	}
	return s
}

func compareDiagram(t *testing.T, got Diagram, want goldenDiagrams) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("dimensions = %d, want %d", len(got), len(want))
	}
	scale := diagramScale(got)
	for k, bars := range got {
		wb := want[strconv.Itoa(k)]
		if len(bars) != len(wb) {
			t.Errorf("H%d: %d bars, want %d", k, len(bars), len(wb))
			continue
		}
		for i, b := range bars {
			wantDeath := math.Inf(1)
			if wb[i][1] != nil {
				wantDeath = *wb[i][1]
			}
			if !closeTo(b.Birth, *wb[i][0], scale) || !closeTo(b.Death, wantDeath, scale) {
				t.Errorf("H%d bar %d: got %v want [%v %v]", k, i, b, *wb[i][0], wantDeath)
			}
		}
	}
}

func closeTo(got, want, scale float64) bool {
	if math.IsInf(want, 1) || math.IsInf(got, 1) {
		return got == want
	}
	return math.Abs(got-want) <= tol*scale
}
