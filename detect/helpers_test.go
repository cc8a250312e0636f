package detect

import (
	"math/rand/v2"
	"testing"
)

// MustFit returns a detector of algorithm fitted on t, failing tb on error.
func MustFit(tb testing.TB, algorithm string, params map[string]any, t Table) *Detector {
	tb.Helper()
	d, err := New(algorithm, params)
	if err != nil {
		tb.Fatalf("New(%s) = %v", algorithm, err)
	}
	if err := d.Fit(t); err != nil {
		tb.Fatalf("Fit(%s) = %v", algorithm, err)
	}
	return d
}

// gaussTable returns n rows of d standard-normal columns named c0, c1, ...
func gaussTable(n, d int, seed uint64) Table {
	r := rand.New(rand.NewPCG(seed, 7))
	t := Table{Columns: make([]string, d)}
	for j := range t.Columns {
		t.Columns[j] = "c" + string(rune('0'+j%10)) + string(rune('a'+j/10))
	}
	for i := 0; i < n; i++ {
		row := make([]any, d)
		for j := range row {
			row[j] = r.NormFloat64()
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// numTable builds a table from numeric rows.
func numTable(rows ...[]float64) Table {
	t := Table{}
	for j := range rows[0] {
		t.Columns = append(t.Columns, "x"+string(rune('0'+j)))
	}
	for _, r := range rows {
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// algorithmNames lists every catalogue algorithm.
func algorithmNames() []string {
	var out []string
	for _, a := range Catalogue() {
		out = append(out, a.Name)
	}
	return out
}

// fastParams keeps the slow algorithms quick in unit tests.
func fastParams(name string) map[string]any {
	switch name {
	case "IsolationForest":
		return map[string]any{"n_estimators": 50}
	case "HalfSpaceTrees":
		return map[string]any{"window_size": 50, "height": 6}
	case "LOF", "KNN":
		return map[string]any{"n_neighbors": 5}
	}
	return nil
}

func scoresOf(tb testing.TB, d *Detector, t Table) []float64 {
	tb.Helper()
	res, err := d.Score(t)
	if err != nil {
		tb.Fatalf("Score = %v", err)
	}
	out := make([]float64, len(res))
	for i, r := range res {
		out[i] = r.Score
	}
	return out
}
