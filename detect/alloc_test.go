//go:build !race

package detect

import "testing"

func TestHotPathAllocations(t *testing.T) {
	tab := gaussTable(500, 4, 30)
	for _, name := range []string{"IsolationForest", "LOF", "KNN", "HBOS", "ECOD", "PCA", "EllipticEnvelope", "OneClassSVM", "LODA", "HalfSpaceTrees", "MAD", "Ensemble"} {
		d := MustFit(t, name, fastParams(name), tab)
		buf := make([]float64, d.NumFeatures())
		row := tab.Rows[3]
		allocs := testing.AllocsPerRun(100, func() {
			var err error
			buf, err = d.Vector(buf, tab.Columns, row)
			if err != nil {
				t.Fatal(err)
			}
			d.Calibrate(d.ScoreVector(buf))
		})
		if allocs != 0 {
			t.Errorf("%s: Vector+ScoreVector+Calibrate allocates %v times, want 0", name, allocs)
		}
	}
}
