package tda

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

var inf = math.Inf(1)

func TestBettiAndCounts(t *testing.T) {
	bars := []Bar{{0, 1}, {0, 2}, {0.5, 0.7}, {0, inf}}
	f := func(t0 float64, want int) {
		t.Helper()
		if got := BettiAt(bars, t0); got != want {
			t.Errorf("BettiAt(%v) = %d, want %d", t0, got, want)
		}
	}
	f(-1, 0)
	f(0, 3)                                        // born at 0 counts (birth <= t)
	f(0.5, 4)                                      // [0.5, 0.7) just born
	f(1, 2)                                        // [0, 1) is dead at 1 (t < death)
	f(1e9, 1)                                      // only the infinite bar
	if got := BarsOverEpsilon(bars, 1); got != 2 { // [0,2) and the infinite bar; [0,1) is not > 1
		t.Errorf("BarsOverEpsilon(1) = %d, want 2", got)
	}
	if got := TotalLifetime(bars); math.Abs(got-3.2) > 1e-15 {
		t.Errorf("TotalLifetime = %v, want 3.2", got)
	}
}

func TestEntropy(t *testing.T) {
	f := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-15 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	f("Entropy(two equal bars)", Entropy([]Bar{{0, 1}, {2, 3}, {0, inf}}), math.Ln2)
	f("Entropy(one bar)", Entropy([]Bar{{0, 5}}), 0)
	f("Entropy(none)", Entropy(nil), 0)
	f("Entropy(infinite only)", Entropy([]Bar{{0, inf}}), 0)
	// Pooled over [0,1) and [0,1),[0,2): p = 1/4, 1/4, 1/2.
	f("PooledEntropy", PooledEntropy([]Bar{{0, 1}}, []Bar{{0, 1}, {0, 2}}), 1.5*math.Ln2)
}

func TestLandscape(t *testing.T) {
	bars := []Bar{{0, 2}, {1, 3}, {0, inf}}
	got := LandscapeTo(nil, bars, 3, 5, 0, 3) // grid 0, 0.75, 1.5, 2.25, 3
	want := []float64{
		0, 0.75, 0.5, 0.75, 0, // lambda_1: max of the tents
		0, 0, 0.5, 0, 0, // lambda_2
		0, 0, 0, 0, 0, // lambda_3: fewer than 3 finite bars
	}
	if !slices.Equal(got, want) {
		t.Errorf("LandscapeTo = %v, want %v", got, want)
	}
	if x := GridTo(nil, 0, 3, 5); !slices.Equal(x, []float64{0, 0.75, 1.5, 2.25, 3}) {
		t.Errorf("GridTo = %v", x)
	}
	if x := GridTo(nil, 1, 1, 3); !slices.Equal(x, []float64{1, 1, 1}) {
		t.Errorf("GridTo(empty range) = %v", x)
	}
	if lo, hi := FiniteRange(bars); lo != 0 || hi != 3 {
		t.Errorf("FiniteRange = %v, %v, want 0, 3", lo, hi)
	}
	if lo, hi := FiniteRange([]Bar{{0, inf}}); lo != 0 || hi != 0 {
		t.Errorf("FiniteRange(infinite only) = %v, %v, want 0, 0", lo, hi)
	}
}

// bruteDistances enumerates every matching of the augmented diagrams.
func bruteDistances(a, b []Bar) (bottleneck, w1 float64) {
	m, k := len(a), len(b)
	n := m + k
	cost := func(i, j int) float64 {
		switch {
		case i < m && j < k:
			return linf(a[i], b[j])
		case i < m:
			return diagonalDistance(a[i])
		case j < k:
			return diagonalDistance(b[j])
		}
		return 0
	}
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	bottleneck, w1 = inf, inf
	var rec func(i int)
	rec = func(i int) {
		if i == n {
			mx, s := 0.0, 0.0
			for r, c := range perm {
				mx = max(mx, cost(r, c))
				s += cost(r, c)
			}
			bottleneck, w1 = min(bottleneck, mx), min(w1, s)
			return
		}
		for j := i; j < n; j++ {
			perm[i], perm[j] = perm[j], perm[i]
			rec(i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
	}
	rec(0)
	if n == 0 {
		return 0, 0
	}
	return bottleneck, w1
}

func TestDistancesMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(81, 82))
	randomBars := func(n int) []Bar {
		bars := make([]Bar, n)
		for i := range bars {
			b := rng.Float64()
			bars[i] = Bar{b, b + rng.Float64()}
		}
		return bars
	}
	for i := range 300 {
		a, b := randomBars(rng.IntN(4)), randomBars(rng.IntN(4))
		wantB, wantW := bruteDistances(a, b)
		if got := Bottleneck(a, b); math.Abs(got-wantB) > 1e-12 {
			t.Errorf("%d: Bottleneck(%v, %v) = %v, want %v", i, a, b, got, wantB)
		}
		if got := Wasserstein1(a, b); math.Abs(got-wantW) > 1e-12 {
			t.Errorf("%d: Wasserstein1(%v, %v) = %v, want %v", i, a, b, got, wantW)
		}
	}
}

func TestDistancesInfiniteBars(t *testing.T) {
	a := []Bar{{0, 1}, {0, inf}, {0.5, inf}}
	b := []Bar{{0.25, inf}, {0.1, inf}}
	// Infinite births sorted: (0, 0.5) vs (0.1, 0.25): costs 0.1 and 0.25; [0,1) goes to
	// the diagonal at cost 0.5.
	if got := Bottleneck(a, b); got != 0.5 {
		t.Errorf("Bottleneck = %v, want 0.5", got)
	}
	if got := Wasserstein1(a, b); math.Abs(got-0.85) > 1e-15 {
		t.Errorf("Wasserstein1 = %v, want 0.85", got)
	}
	if got := Bottleneck(a, b[:1]); !math.IsInf(got, 1) {
		t.Errorf("Bottleneck with different infinite counts = %v, want +Inf", got)
	}
	if got := Wasserstein1(nil, nil); got != 0 {
		t.Errorf("Wasserstein1(nil, nil) = %v, want 0", got)
	}
}

func TestTakens(t *testing.T) {
	got := TakensTo(nil, []float64{1, 2, 3, 4, 5, 6}, 2, 3)
	if want := []float64{1, 4, 2, 5, 3, 6}; !slices.Equal(got, want) {
		t.Errorf("TakensTo = %v, want %v", got, want)
	}
	if got := TakensTo(nil, []float64{1, 2}, 3, 1); len(got) != 0 {
		t.Errorf("TakensTo(short series) = %v, want empty", got)
	}
	rng := rand.New(rand.NewPCG(91, 92))
	for _, period := range []float64{24, 40} {
		sine := make([]float64, 1000)
		for i := range sine {
			sine[i] = math.Sin(2*math.Pi*float64(i)/period) + 0.2*rng.NormFloat64()
		}
		for _, m := range []DelayMethod{DelayMutualInformation, DelayAutocorrelation} {
			tau, err := ChooseDelay(sine, 30, m)
			if err != nil {
				t.Fatal(err)
			}
			if want := period / 4; math.Abs(float64(tau)-want) > 1.5 {
				t.Errorf("ChooseDelay(noisy sine of period %v, method %d) = %d, want about %v", period, m, tau, want)
			}
		}
	}
	if tau, _ := ChooseDelay(make([]float64, 50), 10, DelayMutualInformation); tau != 1 {
		t.Errorf("ChooseDelay(constant) = %d, want 1", tau)
	}
}

func TestCountSimplices(t *testing.T) {
	square := []float64{0, 0, 1, 0, 1, 1, 0, 1}
	f := func(maxDim int, maxEdge float64, want int64) {
		t.Helper()
		if got := CountSimplices(square, 2, maxDim, maxEdge); got != want {
			t.Errorf("CountSimplices(square, maxDim %d, maxEdge %v) = %d, want %d", maxDim, maxEdge, got, want)
		}
	}
	f(0, 0, 4+6)       // vertices and edges
	f(1, 0, 4+6+4)     // + triangles
	f(2, 0, 4+6+4+1)   // + the tetrahedron
	f(1, 1.2, 4+4)     // no diagonal: a 4-cycle
	f(2, 1.5, 4+6+4+1) // every edge
}
