package detect

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// sklearnTol bounds |ours - scikit-learn's| for one row's score (in (0, 1]).
// With the same trees the two differ only by the order of floating-point
// additions and by log's last bit (observed at most 2.2e-16); a different
// tree moves a score by 1e-4 or more, so 1e-12 separates the two cleanly.
const sklearnTol = 1e-12

// sklearnCase is one case of a scikit-learn golden file.
type sklearnCase struct {
	X      [][]float64    `json:"x"`
	Params map[string]any `json:"params"`
	Scores []float64      `json:"scores"`
}

// sklearnParams turns a golden case's scikit-learn parameters into ours
// with draws = "sklearn".
func sklearnParams(p map[string]any) map[string]any {
	out := map[string]any{"draws": drawsSklearn}
	for k, v := range p {
		if f, ok := v.(float64); ok && k != "max_features" {
			v = int(f)
		}
		out[k] = v
	}
	return out
}

// TestSklearnDrawsSynthetic compares IsolationForest with draws = "sklearn"
// against scikit-learn 1.2.1's scores (testdata/sklearn_iforest_synthetic.json,
// written by its .py): constant columns, columns with few values, duplicate
// rows, values float32 rounds together, reservoir-sampled rows, feature
// subsets, one column and one row.
func TestSklearnDrawsSynthetic(t *testing.T) {
	raw, err := os.ReadFile("testdata/sklearn_iforest_synthetic.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct{ Cases []sklearnCase }
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	for i, c := range g.Cases {
		d := MustFit(t, "IsolationForest", sklearnParams(c.Params), numTable(c.X...))
		got := scoresOf(t, d, numTable(c.X...))
		bad := 0
		for r, want := range c.Scores {
			if math.Abs(got[r]-want) > sklearnTol {
				if bad++; bad <= 3 {
					t.Errorf("case %d (%v), row %d: score %.17g, scikit-learn %.17g", i, c.Params, r, got[r], want)
				}
			}
		}
		if bad > 0 {
			t.Errorf("case %d: %d of %d rows differ", i, bad, len(c.Scores))
		}
	}
}

// TestLeftBound32 checks that x <= leftBound32(t) exactly when float32(x) <= t,
// around thresholds of every kind.
func TestLeftBound32(t *testing.T) {
	for _, thr := range []float64{0, 1, -1, 1.0000000596046448, 0.1, -0.1, 3.4e38, -3.4e38, 1e-40, 12345.678, float64(float32(0.3))} {
		b := leftBound32(thr)
		if float64(float32(b)) > thr {
			t.Errorf("thr %v: bound %v rounds to %v, above thr", thr, b, float32(b))
		}
		if next := math.Nextafter(b, math.Inf(1)); !math.IsInf(next, 1) && float64(float32(next)) <= thr {
			t.Errorf("thr %v: bound %v is not the largest (%v rounds to %v)", thr, b, next, float32(next))
		}
	}
}

// TestSklearnDrawsDeterministicAndDistinct checks that the sklearn draws
// depend on random_state alone and differ from the stratified draws.
func TestSklearnDrawsDeterministicAndDistinct(t *testing.T) {
	train := gaussTable(500, 4, 9)
	p := map[string]any{"draws": drawsSklearn, "random_state": 3}
	a := scoresOf(t, MustFit(t, "IsolationForest", p, train), train)
	b := scoresOf(t, MustFit(t, "IsolationForest", p, train), train)
	s := scoresOf(t, MustFit(t, "IsolationForest", map[string]any{"random_state": 3}, train), train)
	same := 0
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("row %d: two fits give %v and %v", i, a[i], b[i])
		}
		if a[i] == s[i] {
			same++
		}
	}
	if same == len(a) {
		t.Error("sklearn and stratified draws gave identical forests")
	}
	if _, err := New("IsolationForest", map[string]any{"draws": "numpy"}); err == nil {
		t.Error(`draws "numpy" accepted`)
	}
}
