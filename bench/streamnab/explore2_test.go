package streamnab

import (
	"encoding/gob"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/topoforge/topoforge/bench/nab"
)

func loadFeats(t *testing.T) ([]feats, *nab.Corpus) {
	c, err := nab.LoadCorpus(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open("/tmp/nabx/feats.gob")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var all []feats
	if err := gob.NewDecoder(fh).Decode(&all); err != nil {
		t.Fatal(err)
	}
	return all, c
}

type pp struct {
	warm     int
	short    int
	alpha    float64 // long EW rate
	minStd   float64
	supp     int
	tint     float64
}

// likelihood + suppression on raw surprise r.
func post(r []float64, p pp) []float64 {
	out := make([]float64, len(r))
	ring := make([]float64, p.short)
	sum := 0.0
	mean, vr := 0.0, 0.0
	n := 0
	hold := 0
	for i, v := range r {
		k := n % p.short
		sum += v - ring[k]
		ring[k] = v
		n++
		avg := sum / float64(min(n, p.short))
		if n <= p.warm {
			// learn
			if n == 1 {
				mean = avg
			}
			a := math.Max(p.alpha, 1/float64(n))
			d := avg - mean
			mean += a * d
			vr = (1 - a) * (vr + a*d*d)
			continue
		}
		sd := math.Max(math.Sqrt(vr), p.minStd)
		z := (avg - mean) / sd
		L := 0.5 * math.Erfc(-z/math.Sqrt2)
		s := math.Log(1.0000000001-L) / math.Log(1e-10)
		d := avg - mean
		mean += p.alpha * d
		vr = (1 - p.alpha) * (vr + p.alpha*d*d)
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

func scoreAll(t *testing.T, c *nab.Corpus, scores map[string][]float64) string {
	sc := nab.NewScorer(c)
	s := ""
	for _, p := range nab.DefaultProfiles() {
		res, err := sc.Score(scores, p)
		if err != nil {
			t.Fatal(err)
		}
		s += fmt.Sprintf("%s=%.2f(th %.3f) ", p.Name[:8], res.Normalized, res.Threshold)
	}
	return s
}

func TestExplorePost(t *testing.T) {
	if os.Getenv("NABX") == "" {
		t.Skip("NABX unset")
	}
	all, c := loadFeats(t)
	raws := map[string]func(f feats) []float64{
		"zval": func(f feats) []float64 {
			r := make([]float64, len(f.X))
			m, v := f.X[0], 0.0
			for i, x := range f.X {
				sd := math.Sqrt(v) + 1e-9
				r[i] = math.Min(math.Abs(x-m)/sd/6, 1)
				a := math.Max(0.002, 1/float64(i+1))
				d := x - m
				m += a * d
				v = (1 - a) * (v + a*d*d)
			}
			return r
		},
	}
	for fi := 0; fi < 6; fi++ {
		fi := fi
		raws[fmt.Sprintf("f%d", fi)] = func(f feats) []float64 {
			r := make([]float64, len(f.X))
			m, v := 0.0, 0.0
			n := 0
			for i := range f.X {
				if f.F[i] == nil {
					continue
				}
				x := f.F[i][fi]
				n++
				if n == 1 {
					m = x
				}
				sd := math.Sqrt(v) + 1e-9
				r[i] = math.Min(math.Max((x-m)/sd, 0)/6, 1)
				a := math.Max(0.002, 1/float64(n))
				d := x - m
				m += a * d
				v = (1 - a) * (v + a*d*d)
			}
			return r
		}
	}
	for _, name := range []string{"zval", "f0", "f1", "f2", "f3", "f4", "f5"} {
		for _, p := range []pp{{150, 10, 0.002, 0.01, 0, 0.5}, {150, 10, 0.002, 0.01, 100, 0.5}, {150, 5, 0.002, 0.01, 200, 0.5}} {
			scores := map[string][]float64{}
			for _, f := range all {
				scores[f.Name] = post(raws[name](f), p)
			}
			t.Logf("%s %+v: %s", name, p, scoreAll(t, c, scores))
		}
	}
}
