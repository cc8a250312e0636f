package stream

import (
	"math"
	"testing"
)

func TestContextModel(t *testing.T) {
	tu := defaultTuning()
	var m contextModel
	// A repeated cycle of levels becomes expected.
	cycle := []float64{0, 2, 8, 2}
	var s float64
	for i := range 400 {
		s = m.push(cycle[i%len(cycle)], &tu)
	}
	if s > 0.1 {
		t.Errorf("surprise of a learnt cycle = %.3f nats, want < 0.1", s)
	}
	// A familiar context followed by a level it never led to is very surprising.
	m.push(0, &tu)
	m.push(2, &tu)
	if s := m.push(-8, &tu); s < 5 {
		t.Errorf("surprise of a new continuation = %.3f nats, want >= 5", s)
	}
	// A context never seen costs at most ln(contextLevels).
	m.push(30, &tu)
	if s := m.push(-30, &tu); s > math.Log(contextLevels)+1e-9 {
		t.Errorf("surprise in a new context = %.3f nats, want <= ln %d", s, contextLevels)
	}
}

func TestContextSymbol(t *testing.T) {
	f := func(z float64, want uint8) {
		t.Helper()
		if got := contextSymbol(z, 0.4); got != want {
			t.Errorf("contextSymbol(%v, 0.4) = %d, want %d", z, got, want)
		}
	}
	f(0, contextLevels/2)
	f(0.3, contextLevels/2)
	f(-0.3, contextLevels/2-1)
	f(1e9, contextLevels-1)
	f(-1e9, 0)
}

func TestContextSymbolExtremes(t *testing.T) {
	for _, z := range []float64{math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, -math.MaxFloat64} {
		if q := contextSymbol(z, 0.8); q >= contextLevels {
			t.Errorf("contextSymbol(%v, 0.8) = %d, want < %d", z, q, contextLevels)
		}
	}
}
