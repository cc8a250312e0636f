package actors

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/topoforge/topoforge/detect"
)

// BenchmarkDetectPath measures the detector actor's CPU work for one single-row request, step by
// step: decoding the rows, scoring with the explanation, encoding the reply and the stored result.
func BenchmarkDetectPath(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cols := []string{"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9"}
	rows := make([][]any, 20000)
	for i := range rows {
		r := make([]any, 9)
		for j := range r {
			r[j] = rng.NormFloat64() * 10
		}
		rows[i] = r
	}
	d, err := detect.New("IsolationForest", map[string]any{"random_state": 42})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Fit(detect.Table{Columns: cols, Rows: rows}); err != nil {
		b.Fatal(err)
	}
	body := []byte(`[{"f1":50,"f2":0,"f3":80,"f4":0,"f5":36,"f6":0,"f7":30,"f8":44,"f9":14}]`)
	var rd rowDecoder
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rd.decode(body)
		}
	})
	t, raws, _ := rd.decode(body)
	b.Run("score", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d.Score(t)
		}
	})
	res, _ := d.Score(t)
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		now := time.Now()
		for b.Loop() {
			out := appendResult(make([]byte, 0, 512), raws[0], &res[0])
			_ = appendResultID(append(make([]byte, 0, 64), "result/det_0123456789abcdef/"...), now, 5)
			_ = appendStored(make([]byte, 0, 512), raws[0], &res[0])
			_ = out
		}
	})
}
