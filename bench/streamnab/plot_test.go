package streamnab

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/topoforge/topoforge/bench/nab"
)

// plotSeries draws values (top) and score (bottom) with windows shaded.
func plotSeries(path string, s *nab.Series, score []float64, thr float64) error {
	W, H := 1600, 400
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			img.Set(x, y, color.White)
		}
	}
	n := len(s.Values)
	px := func(i int) int { return i * (W - 1) / max(n-1, 1) }
	for _, w := range s.Windows {
		for x := px(w.First); x <= px(w.Last); x++ {
			for y := 0; y < H; y++ {
				img.Set(x, y, color.RGBA{255, 220, 220, 255})
			}
		}
	}
	prob := nab.ProbationaryLength(n)
	for y := 0; y < H; y++ {
		img.Set(px(prob), y, color.RGBA{0, 160, 0, 255})
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range s.Values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if hi == lo {
		hi = lo + 1
	}
	top := 280
	for i := 1; i < n; i++ {
		x0, x1 := px(i-1), px(i)
		y0 := top - 5 - int((s.Values[i-1]-lo)/(hi-lo)*float64(top-10))
		y1 := top - 5 - int((s.Values[i]-lo)/(hi-lo)*float64(top-10))
		if y0 > y1 {
			y0, y1 = y1, y0
		}
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				img.Set(x, y, color.RGBA{0, 0, 180, 255})
			}
		}
	}
	for i, v := range score {
		y := H - 2 - int(v*float64(H-top-10))
		c := color.RGBA{120, 120, 120, 255}
		if v >= thr {
			c = color.RGBA{255, 0, 0, 255}
			for yy := 0; yy < top; yy += 3 {
				img.Set(px(i), yy, c)
			}
		}
		for yy := y; yy < H-1; yy++ {
			img.Set(px(i), yy, c)
		}
	}
	os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, img)
}

func plotName(dir, name string) string {
	return filepath.Join(dir, strings.ReplaceAll(strings.TrimSuffix(name, ".csv"), "/", "_")+".png")
}
