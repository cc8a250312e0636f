package detect

import (
	"fmt"
	"testing"
)

// benchSizes are the size classes of the fit benchmarks (rows × 8 features).
var benchSizes = []struct {
	name string
	n    int
}{{"small", 1_000}, {"medium", 10_000}}

func BenchmarkFit(b *testing.B) {
	for _, name := range algorithmNames() {
		for _, sz := range benchSizes {
			if sz.n > 1000 && (name == "OneClassSVM" || name == "Ensemble") {
				continue // quadratic solver / sum of members: small only
			}
			tab := gaussTable(sz.n, 8, 40)
			b.Run(fmt.Sprintf("%s/%s", name, sz.name), func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					d, _ := New(name, nil)
					if err := d.Fit(tab); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*sz.n)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

func BenchmarkScoreVector(b *testing.B) {
	tab := gaussTable(2_000, 8, 41)
	for _, name := range algorithmNames() {
		d := MustFit(b, name, nil, tab)
		x := make([]float64, 0, len(tab.Rows)*d.NumFeatures())
		for _, r := range tab.Rows {
			v, _ := d.Vector(nil, tab.Columns, r)
			x = append(x, v...)
		}
		nf := d.NumFeatures()
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var sink float64
			for i := range b.N {
				k := i % len(tab.Rows)
				sink += d.ScoreVector(x[k*nf : (k+1)*nf])
			}
			_ = sink
		})
	}
}

func BenchmarkScoreTable(b *testing.B) {
	tab := gaussTable(1_000, 8, 42)
	d := MustFit(b, "IsolationForest", nil, tab)
	b.ReportAllocs()
	for range b.N {
		if _, err := d.Score(tab); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(tab.Rows))/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkMarshalLoad(b *testing.B) {
	d := MustFit(b, "IsolationForest", nil, gaussTable(5_000, 8, 43))
	bs, _ := d.MarshalBinary()
	b.SetBytes(int64(len(bs)))
	b.ReportAllocs()
	for range b.N {
		bs, _ = d.MarshalBinary()
		if _, err := Load(bs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkROCAUC(b *testing.B) {
	tab := gaussTable(10_000, 1, 44)
	s := make([]float64, len(tab.Rows))
	l := make([]bool, len(tab.Rows))
	for i, r := range tab.Rows {
		s[i] = r[0].(float64)
		l[i] = i%10 == 0
	}
	b.ReportAllocs()
	for range b.N {
		ROCAUC(s, l)
	}
}
