package streamnab

import (
	"math"
	"os"
	"testing"
)

// tailHist is a decaying histogram of log surprises.
type tailHist struct {
	lo, width float64
	bins      []float64
	decay     float64
	total     float64
}

func newTail(nb int, lo, hi, decay float64) *tailHist {
	return &tailHist{lo: lo, width: (hi - lo) / float64(nb), bins: make([]float64, nb), decay: decay}
}

func (h *tailHist) bin(v float64) int {
	b := int((v - h.lo) / h.width)
	return min(max(b, 0), len(h.bins)-1)
}

// tail returns the decayed fraction of past values >= v.
func (h *tailHist) tail(v float64) float64 {
	if h.total == 0 {
		return 1
	}
	b := h.bin(v)
	s := 0.0
	for i := b; i < len(h.bins); i++ {
		s += h.bins[i]
	}
	return s / h.total
}

func (h *tailHist) add(v float64) {
	if h.decay < 1 {
		for i := range h.bins {
			h.bins[i] *= h.decay
		}
		h.total *= h.decay
	}
	h.bins[h.bin(v)]++
	h.total++
}

type pp2 struct {
	warm  int
	short int
	decay float64
	supp  int
	tint  float64
	prior float64
}

// post2: empirical tail likelihood of the short average of r, then suppression.
func post2(r []float64, p pp2) []float64 {
	out := make([]float64, len(r))
	ring := make([]float64, p.short)
	sum := 0.0
	h := newTail(128, 0, 8, p.decay)
	hold := 0
	for i, v := range r {
		k := i % p.short
		sum += v - ring[k]
		ring[k] = v
		avg := sum / float64(min(i+1, p.short))
		lv := math.Log1p(avg)
		if i < p.warm {
			h.add(lv)
			continue
		}
		tp := (h.tail(lv)*h.total + p.prior) / (h.total + p.prior)
		s := -math.Log10(tp) / 5
		h.add(lv)
		if hold > 0 {
			hold--
			s = 0
		} else if s >= p.tint {
			hold = p.supp
		}
		out[i] = math.Min(math.Max(s, 0), 1)
	}
	return out
}

func TestExplore5(t *testing.T) {
	if os.Getenv("NABX") == "" {
		t.Skip("NABX unset")
	}
	all, c := loadFeats(t)
	raw := map[string][]float64{}
	for _, f := range all {
		f := f
		raw[f.Name] = ewz(f, func(i int) (float64, bool) {
			if f.F[i] == nil {
				return 0, false
			}
			return f.F[i][5], true
		}, 0.002, false)
	}
	for _, p := range []pp2{
		{150, 1, 1, 100, 0.5, 1}, {150, 5, 1, 100, 0.5, 1}, {150, 10, 1, 100, 0.5, 1},
		{150, 1, 0.999, 100, 0.5, 1}, {150, 5, 0.999, 100, 0.5, 1}, {150, 5, 0.9995, 200, 0.5, 1},
		{150, 5, 1, 100, 0.6, 1}, {150, 5, 1, 100, 0.4, 1},
	} {
		scores := map[string][]float64{}
		for _, f := range all {
			scores[f.Name] = post2(raw[f.Name], p)
		}
		t.Logf("%+v: %s", p, scoreAll(t, c, scores))
	}
}
