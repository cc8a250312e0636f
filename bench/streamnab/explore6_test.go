package streamnab

import (
	"math"
	"os"
	"testing"
)

// hbos: per-feature decaying histogram over robust-z bins (center/scale frozen after warm).
type hb struct {
	nb     int
	bins   [][]float64
	tot    []float64
	decay  float64
	c, s   []float64
	warm   int
	buf    [][]float64
	n      int
	width  float64
}

func newHB(nf, nb int, decay float64, warm int, width float64) *hb {
	h := &hb{nb: nb, decay: decay, warm: warm, width: width}
	for k := 0; k < nf; k++ {
		h.bins = append(h.bins, make([]float64, nb))
		h.tot = append(h.tot, 0)
		h.c = append(h.c, 0)
		h.s = append(h.s, 1)
		h.buf = append(h.buf, nil)
	}
	return h
}

func median(x []float64) float64 {
	y := append([]float64(nil), x...)
	// simple sort
	for i := 1; i < len(y); i++ {
		for j := i; j > 0 && y[j] < y[j-1]; j-- {
			y[j], y[j-1] = y[j-1], y[j]
		}
	}
	return y[len(y)/2]
}

func (h *hb) bin(k int, v float64) int {
	z := (v - h.c[k]) / h.s[k]
	u := math.Copysign(math.Log1p(math.Abs(z)), z) // log-z
	b := int(math.Floor(u/h.width)) + h.nb/2
	return min(max(b, 0), h.nb-1)
}

// push returns per-feature surprise (-log density prob), 0 during warm.
func (h *hb) push(x []float64, out []float64) bool {
	h.n++
	if h.n <= h.warm {
		for k, v := range x {
			h.buf[k] = append(h.buf[k], v)
		}
		if h.n == h.warm {
			for k := range x {
				m := median(h.buf[k])
				d := make([]float64, len(h.buf[k]))
				for i, v := range h.buf[k] {
					d[i] = math.Abs(v - m)
				}
				s := median(d) * 1.4826
				if s == 0 {
					s = 1e-9 + 1e-6*math.Abs(m)
				}
				h.c[k], h.s[k] = m, s
				for _, v := range h.buf[k] {
					h.bins[k][h.bin(k, v)]++
					h.tot[k]++
				}
			}
		}
		return false
	}
	for k, v := range x {
		b := h.bin(k, v)
		p := (h.bins[k][b] + 0.5) / (h.tot[k] + 1)
		out[k] = -math.Log(p)
		bs := h.bins[k]
		for i := range bs {
			bs[i] *= h.decay
		}
		h.tot[k] = h.tot[k]*h.decay + 1
		bs[b]++
	}
	return true
}

func TestExplore6(t *testing.T) {
	if os.Getenv("NABX") == "" {
		t.Skip("NABX unset")
	}
	all, c := loadFeats(t)
	type cfg struct {
		feats []int // -1 value, -2 mean10, >=0 topo feature
		decay float64
		width float64
		comb  string
		short int
		supp  int
	}
	for _, cf := range []cfg{
		{[]int{-1}, 1, 0.25, "sum", 1, 100},
		{[]int{-2}, 1, 0.25, "sum", 1, 100},
		{[]int{-1, -2}, 1, 0.25, "sum", 1, 100},
		{[]int{-1, -2, 5}, 1, 0.25, "sum", 1, 100},
		{[]int{-1, -2, 5, 0, 2}, 1, 0.25, "sum", 1, 100},
		{[]int{-1, -2, 5, 0, 2}, 1, 0.25, "max", 1, 100},
		{[]int{-1, -2, 5}, 0.9995, 0.25, "sum", 1, 100},
		{[]int{-1, -2, 5}, 1, 0.25, "sum", 5, 100},
		{[]int{-1, -2, 5}, 1, 0.25, "sum", 10, 100},
	} {
		scores := map[string][]float64{}
		for _, f := range all {
			h := newHB(len(cf.feats), 64, cf.decay, 150, cf.width)
			r := make([]float64, len(f.X))
			x := make([]float64, len(cf.feats))
			o := make([]float64, len(cf.feats))
			for i := range f.X {
				if f.F[i] == nil {
					continue
				}
				for k, j := range cf.feats {
					switch {
					case j == -1:
						x[k] = f.X[i]
					case j == -2:
						s := 0.0
						for q := i - 9; q <= i; q++ {
							s += f.X[q]
						}
						x[k] = s / 10
					default:
						x[k] = f.F[i][j]
					}
				}
				if !h.push(x, o) {
					continue
				}
				v := 0.0
				for _, s := range o {
					if cf.comb == "max" {
						v = math.Max(v, s)
					} else {
						v += s
					}
				}
				r[i] = v
			}
			scores[f.Name] = post(r, pp{150, cf.short, 0.002, 0.01, cf.supp, 0.5})
		}
		t.Logf("%+v: %s", cf, scoreAll(t, c, scores))
	}
}
