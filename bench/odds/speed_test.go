package odds

import (
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/topoforge/topoforge/detect"
)

// mustFit fits algorithm on s's rows or fails the benchmark.
func mustFit(b *testing.B, algorithm string, params map[string]any, t detect.Table) *detect.Detector {
	b.Helper()
	d, err := detect.New(algorithm, params)
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Fit(t); err != nil {
		b.Fatal(err)
	}
	return d
}

func mustSet(b *testing.B, name string) *Set {
	b.Helper()
	s, err := LoadSet(filepath.Join(mustDir(b), name))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// synthetic returns n rows of d standard-normal features (fixed seed).
func synthetic(n, d int) detect.Table {
	r := rand.New(rand.NewPCG(1, 2))
	t := detect.Table{Columns: make([]string, d), Rows: make([][]any, n)}
	for j := range t.Columns {
		t.Columns[j] = string(rune('a' + j))
	}
	for i := range t.Rows {
		row := make([]any, d)
		for j := range row {
			row[j] = r.NormFloat64()
		}
		t.Rows[i] = row
	}
	return t
}

// BenchmarkIForestBatchShuttle scores all 49097 shuttle rows per iteration
// with the prepared-matrix batch path (target ≥ 700k rows/s on one core).
func BenchmarkIForestBatchShuttle(b *testing.B) {
	s := mustSet(b, "shuttle.csv")
	d := mustFit(b, "IsolationForest", nil, s.Table())
	x := s.Matrix()
	dst := make([]float64, len(s.Rows))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		dst = d.ScoreBatch(dst, x)
	}
	b.ReportMetric(float64(b.N*len(s.Rows))/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkIForestTableShuttle scores all shuttle rows through Score(Table),
// with preparation, calibration and explanations.
func BenchmarkIForestTableShuttle(b *testing.B) {
	s := mustSet(b, "shuttle.csv")
	t := s.Table()
	d := mustFit(b, "IsolationForest", nil, t)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := d.Score(t); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(s.Rows))/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkIForestSingleRow scores one prepared shuttle row per call
// (target ≤ 2 µs, 0 allocations).
func BenchmarkIForestSingleRow(b *testing.B) {
	s := mustSet(b, "shuttle.csv")
	d := mustFit(b, "IsolationForest", nil, s.Table())
	x := s.Matrix()
	nf := d.NumFeatures()
	n := len(s.Rows)
	var sink float64
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := i % n
		sink += d.ScoreVector(x[k*nf : (k+1)*nf])
	}
	_ = sink
}

// BenchmarkIForestRowPath prepares a JSON-like row (Vector), scores it and
// calibrates it: the REST hot path, 0 allocations.
func BenchmarkIForestRowPath(b *testing.B) {
	s := mustSet(b, "shuttle.csv")
	t := s.Table()
	d := mustFit(b, "IsolationForest", nil, t)
	buf := make([]float64, d.NumFeatures())
	var sink float64
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		var err error
		buf, err = d.Vector(buf, t.Columns, t.Rows[i%len(t.Rows)])
		if err != nil {
			b.Fatal(err)
		}
		q, _, _ := d.Calibrate(d.ScoreVector(buf))
		sink += q
	}
	_ = sink
}

// BenchmarkIForestFit100k fits on 100k rows × 10 features (target < 200 ms),
// preparation, training scores and calibration included.
func BenchmarkIForestFit100k(b *testing.B) {
	t := synthetic(100_000, 10)
	for _, draws := range []string{"stratified", "sklearn"} {
		b.Run(draws, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				mustFit(b, "IsolationForest", map[string]any{"draws": draws}, t)
			}
		})
	}
}

// BenchmarkLOFFitScore20k fits LOF on 20k rows × 4 features and scores the
// training rows (target < 2 s).
func BenchmarkLOFFitScore20k(b *testing.B) {
	t := synthetic(20_000, 4)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		d, err := detect.New("LOF", nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.FitScore(t); err != nil {
			b.Fatal(err)
		}
	}
}
