package odds

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/topoforge/topoforge/detect"
)

// Tolerances of TestSklearnDrawsGolden.
const (
	// scoreTol bounds |ours - scikit-learn's| for one row's score (in
	// (0, 1]). The same trees leave only floating-point summation order and
	// log's last bit (observed at most 2.2e-16 over every row of the 19
	// sets); a single different leaf moves a score by ~1e-4 or more.
	scoreTol = 1e-12
	// aucTol bounds the ROC-AUC difference from scikit-learn's own: with
	// scores this close no pair of rows changes order, so the AUCs agree to
	// rounding.
	aucTol = 1e-9
	// tableTol allows BASELINES.md's three printed decimals (±0.0005) and
	// one more step of the last digit: its shuttle figure, 0.998, is 0.0005
	// above what the same scikit-learn 1.2.1 gives here (0.99746, which our
	// scores reproduce row for row). The bound is ±0.01.
	tableTol = 0.001
)

// sklearnGolden is testdata/sklearn_iforest.json (sklearn_iforest.py).
type sklearnGolden struct {
	Sklearn string
	Cases   []struct {
		Set    string
		Params map[string]any
		ROCAUC float64 `json:"roc_auc"`
		Rows   []int
		Scores []float64
	}
}

// TestSklearnDrawsGolden fits IsolationForest with draws = "sklearn" on the
// ODDS sets with scikit-learn's parameters, and with other parameters that
// take the other row-sampling paths and feature subsets, and checks each
// row's score against scikit-learn 1.2.1's (testdata/sklearn_iforest.json)
// and each ROC-AUC against BASELINES.md: the issue's "within ±0.01 of the
// reference table on every set" holds to the table's last printed digit.
func TestSklearnDrawsGolden(t *testing.T) {
	dir := mustDir(t)
	base, err := LoadBaselines(filepath.Join(dir, "BASELINES.md"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/sklearn_iforest.json")
	if err != nil {
		t.Fatal(err)
	}
	var g sklearnGolden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	tableChecked := 0
	for _, c := range g.Cases {
		s, err := LoadSet(filepath.Join(dir, c.Set+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		p := map[string]any{"draws": "sklearn"}
		for k, v := range c.Params {
			if f, ok := v.(float64); ok && k != "max_features" {
				v = int(f)
			}
			p[k] = v
		}
		d, err := detect.New("IsolationForest", p)
		if err != nil {
			t.Fatal(err)
		}
		res, err := d.FitScore(s.Table())
		if err != nil {
			t.Fatal(err)
		}
		scores := make([]float64, len(res))
		for i, r := range res {
			scores[i] = r.Score
		}
		for k, row := range c.Rows {
			if diff := math.Abs(scores[row] - c.Scores[k]); diff > scoreTol {
				t.Errorf("%s %v row %d: score %.17g, scikit-learn %.17g", c.Set, c.Params, row, scores[row], c.Scores[k])
				break
			}
		}
		roc := detect.ROCAUC(scores, s.Labels)
		if math.Abs(roc-c.ROCAUC) > aucTol {
			t.Errorf("%s %v: ROC-AUC %.6f, scikit-learn %.6f", c.Set, c.Params, roc, c.ROCAUC)
		}
		if c.Params["random_state"] == 42.0 && c.Params["n_estimators"] == 100.0 && c.Params["max_samples"] == 256.0 {
			want, ok := base[c.Set+".csv"]["IForest ROC"]
			if !ok {
				t.Fatalf("%s: no IForest ROC in BASELINES.md", c.Set)
			}
			if math.Abs(roc-want) > tableTol {
				t.Errorf("%s: ROC-AUC %.4f, reference table %.3f", c.Set, roc, want)
			}
			tableChecked++
		}
	}
	if tableChecked != 19 {
		t.Errorf("compared %d sets with the reference table, want 19", tableChecked)
	}
}

// TestEllipticEnvelopeSubsetsMatch checks EllipticEnvelope (random_state 42)
// on two sets above 500 rows, where FastMCD's result hangs on its random
// subsets: with scikit-learn's NumPy stream and argsort order it lands on
// scikit-learn's fit (BASELINES.md; with another generator these were 0.018
// below). tableTol allows the table's rounding.
func TestEllipticEnvelopeSubsetsMatch(t *testing.T) {
	dir := mustDir(t)
	base, err := LoadBaselines(filepath.Join(dir, "BASELINES.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"mammography.csv", "pendigits.csv"} {
		s, err := LoadSet(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		o, err := Run(s, "EllipticEnvelope", map[string]any{"random_state": 42})
		if err != nil {
			t.Fatal(err)
		}
		if want := base[name]["EllipticEnv ROC"]; math.Abs(o.ROC-want) > tableTol {
			t.Errorf("EllipticEnvelope on %s: ROC-AUC %.4f, reference table %.3f", name, o.ROC, want)
		}
	}
}
