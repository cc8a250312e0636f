package streamnab

import (
	"math"
	"os"
	"testing"
)

// level2: S -> -log tail prob of short-avg S among past avg S (decaying histogram on [0, 40) nats).
func level2(r []float64, warm, short int, decay, prior float64, mix float64) []float64 {
	out := make([]float64, len(r))
	h := newTail(160, 0, 40, decay)
	ring := make([]float64, short)
	sum := 0.0
	for i, v := range r {
		k := i % short
		sum += v - ring[k]
		ring[k] = v
		avg := sum / float64(min(i+1, short))
		if v == 0 && i < warm {
			continue
		}
		tp := (h.tail(avg)*h.total + prior) / (h.total + prior)
		out[i] = mix*v + (1-mix)*(-math.Log(tp))
		h.add(avg)
	}
	return out
}

func TestExplore12(t *testing.T) {
	if os.Getenv("NABX") == "" {
		t.Skip("NABX unset")
	}
	all, c := loadFeats(t)
	raw := make([][]float64, len(all))
	for k, f := range all {
		cs := candidates(f)
		a := rarity(cs[8], 0.9995, 0.25, 150)
		b := rarity(cs[4], 0.9995, 0.25, 150)
		for i := range a {
			a[i] += b[i]
		}
		raw[k] = a
	}
	sc := newScorerCached(c)
	for _, short := range []int{1, 3} {
		for _, decay := range []float64{1, 0.9995} {
			for _, mix := range []float64{0, 0.5} {
				bs, bt, bp := -1e9, 0.0, 0
				for tn := 4.0; tn <= 12; tn += 0.25 {
					for _, supp := range []int{60, 100} {
						scores := map[string][]float64{}
						for k, f := range all {
							scores[f.Name] = direct(level2(raw[k], 150, short, decay, 1, mix), 150, 32, tn/32, supp)
						}
						res, _ := sc.Score(scores, stdProfile())
						if res.Normalized > bs {
							bs, bt, bp = res.Normalized, tn, supp
						}
					}
				}
				t.Logf("short %d decay %v mix %v: %.2f at %.2f %d", short, decay, mix, bs, bt, bp)
			}
		}
	}
}
