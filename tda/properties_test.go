package tda

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func mustPersistence(t *testing.T, pts [][]float64, opt Options) Diagram {
	t.Helper()
	d, err := Persistence(pts, opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestH0BarCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i, n := range []int{1, 2, 3, 10, 57, 200} {
		d := mustPersistence(t, randomCloud(rng, n, 3, false), Options{MaxDim: 1})
		finite := 0
		for _, b := range d[0] {
			if b.Birth != 0 {
				t.Errorf("%d: H0 bar %v not born at 0", i, b)
			}
			if b.Finite() {
				finite++
			}
		}
		if finite != n-1 || len(d[0]) != n {
			t.Errorf("%d: n=%d: %d finite of %d H0 bars, want %d of %d", i, n, finite, len(d[0]), n-1, n)
		}
		if len(d[1]) > 0 && !d[1][len(d[1])-1].Finite() {
			t.Errorf("%d: infinite H1 bar without max_edge", i)
		}
	}
}

// transform applies p -> s*R*p + c to every point, R a rotation of the first two axes.
func transform(pts [][]float64, s, angle float64, c []float64) [][]float64 {
	out := make([][]float64, len(pts))
	sin, cos := math.Sincos(angle)
	for i, p := range pts {
		q := slices.Clone(p)
		q[0], q[1] = cos*p[0]-sin*p[1], sin*p[0]+cos*p[1]
		for k := range q {
			q[k] = s*q[k] + c[k]
		}
		out[i] = q
	}
	return out
}

func closeDiagrams(a, b Diagram, rel float64) bool {
	if len(a) != len(b) {
		return false
	}
	scale := diagramScale(a, b)
	for k := range a {
		if len(a[k]) != len(b[k]) {
			return false
		}
		for i := range a[k] {
			x, y := a[k][i], b[k][i]
			if math.Abs(x.Birth-y.Birth) > rel*scale || x.Finite() != y.Finite() ||
				(x.Finite() && math.Abs(x.Death-y.Death) > rel*scale) {
				return false
			}
		}
	}
	return true
}

func TestInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	opt := Options{MaxDim: 2}
	for i := range 5 {
		pts := randomCloud(rng, 40, 3, false)
		want := mustPersistence(t, pts, opt)

		perm := slices.Clone(pts)
		rng.Shuffle(len(perm), func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
		if got := mustPersistence(t, perm, opt); !equalDiagrams(got, want) {
			t.Errorf("%d: permuted points: got %v want %v", i, got, want)
		}
		// Rotation and translation change distances in the last bits only, so bars may
		// only move by a few ulps; a bar count change would mean a real bug.
		moved := transform(pts, 1, 0.7, []float64{3, -2, 5})
		if got := mustPersistence(t, moved, opt); !closeDiagrams(got, want, 1e-12) {
			t.Errorf("%d: rotated and translated: got %v want %v", i, got, want)
		}
		// Scaling by 2 is exact in binary: every endpoint doubles exactly.
		twice := transform(pts, 2, 0, []float64{0, 0, 0})
		got := mustPersistence(t, twice, opt)
		for k := range want {
			for j := range want[k] {
				w := Bar{2 * want[k][j].Birth, 2 * want[k][j].Death}
				if got[k][j] != w {
					t.Errorf("%d: scaled by 2: H%d bar %d = %v, want %v", i, k, j, got[k][j], w)
				}
			}
		}
		thrice := transform(pts, 3, 0, []float64{0, 0, 0})
		got = mustPersistence(t, thrice, opt)
		scaled := want.Clone()
		for k := range scaled {
			for j := range scaled[k] {
				scaled[k][j].Birth *= 3
				scaled[k][j].Death *= 3
			}
		}
		if !closeDiagrams(got, scaled, 1e-12) {
			t.Errorf("%d: scaled by 3: got %v want %v", i, got, scaled)
		}
	}
}

func TestCircleHasOneLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	pts := make([][]float64, 80)
	for i := range pts {
		a := rng.Float64() * 2 * math.Pi
		pts[i] = []float64{math.Cos(a) + 0.03*rng.NormFloat64(), math.Sin(a) + 0.03*rng.NormFloat64()}
	}
	d := mustPersistence(t, pts, Options{MaxDim: 1})
	if got := BarsOverEpsilon(d[1], 0.5); got != 1 {
		t.Fatalf("H1 bars longer than 0.5 = %d, want 1: %v", got, d[1])
	}
	long := slices.MaxFunc(d[1], func(a, b Bar) int { return compareFloat(a.Lifetime(), b.Lifetime()) })
	if long.Death < 1.5 || long.Birth > 0.5 {
		t.Errorf("circle H1 bar = %v, want birth < 0.5 and death near sqrt(3)", long)
	}
}

func TestSphereHasOneVoid(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	pts := make([][]float64, 70)
	for i := range pts {
		v := []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		r := math.Sqrt(v[0]*v[0] + v[1]*v[1] + v[2]*v[2])
		pts[i] = []float64{v[0] / r, v[1] / r, v[2] / r}
	}
	d := mustPersistence(t, pts, Options{MaxDim: 2})
	if got := BarsOverEpsilon(d[2], 0.3); got != 1 {
		t.Errorf("H2 bars longer than 0.3 = %d, want 1: %v", got, d[2])
	}
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestMaxEdgeInfiniteBars(t *testing.T) {
	// Four corners of a unit square: with max_edge 1.2 the diagonal (1.414) is missing,
	// so the loop never dies.
	sq := [][]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}}
	d := mustPersistence(t, sq, Options{MaxDim: 1, MaxEdge: 1.2})
	want := Diagram{{{0, 1}, {0, 1}, {0, 1}, {0, math.Inf(1)}}, {{1, math.Inf(1)}}}
	if !equalDiagrams(d, want) {
		t.Errorf("square with max_edge 1.2 = %v, want %v", d, want)
	}
	d = mustPersistence(t, sq, Options{MaxDim: 1})
	want = Diagram{{{0, 1}, {0, 1}, {0, 1}, {0, math.Inf(1)}}, {{1, math.Sqrt2}}}
	if !equalDiagrams(d, want) {
		t.Errorf("square = %v, want %v", d, want)
	}
}

func TestPersistenceErrors(t *testing.T) {
	var w Workspace
	f := func(name string, pts []float64, dim int, opt Options, want error) {
		t.Helper()
		if _, err := w.Persistence(pts, dim, opt); !errors.Is(err, want) {
			t.Errorf("%s: error = %v, want %v", name, err, want)
		}
	}
	f("ErrNoPoints", nil, 2, Options{}, ErrNoPoints)
	f("ErrNotFinite", []float64{0, math.NaN()}, 2, Options{}, ErrNotFinite)
	f("ErrNotFiniteInf", []float64{0, 1, math.Inf(-1), 2}, 2, Options{}, ErrNotFinite)
	f("ErrMaxDim", []float64{0, 1}, 2, Options{MaxDim: 3}, ErrMaxDim)
	f("ErrMaxDimNegative", []float64{0, 1}, 2, Options{MaxDim: -1}, ErrMaxDim)
	f("ErrTooManyPointsH2", make([]float64, 3000), 1, Options{MaxDim: 2}, ErrTooManyPoints)

	defer func() {
		if recover() == nil {
			t.Error("ragged coordinates did not panic")
		}
	}()
	w.Persistence([]float64{1, 2, 3}, 2, Options{})
}
