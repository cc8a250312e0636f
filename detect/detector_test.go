package detect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestEveryAlgorithmFlagsObviousOutlier(t *testing.T) {
	train := gaussTable(300, 3, 1)
	probe := numTable([]float64{8, -8, 8}, []float64{0, 0, 0})
	probe.Columns = train.Columns
	for _, name := range algorithmNames() {
		t.Run(name, func(t *testing.T) {
			d := MustFit(t, name, fastParams(name), train)
			res, err := d.Score(probe)
			if err != nil {
				t.Fatal(err)
			}
			out, in := res[0], res[1]
			if !(out.Score > in.Score) {
				t.Errorf("Score(outlier) = %v, want > Score(centre) = %v", out.Score, in.Score)
			}
			if !out.IsAnomaly || out.AnomalyScore < 0.99 {
				t.Errorf("outlier: IsAnomaly = %v, AnomalyScore = %v, want true, >= 0.99", out.IsAnomaly, out.AnomalyScore)
			}
			if in.IsAnomaly {
				t.Errorf("centre: IsAnomaly = true (score %v, threshold %v)", in.Score, d.Threshold())
			}
			if out.Confidence < 0.5 || out.Confidence > 1 || in.Confidence < 0.5 || in.Confidence > 1 {
				t.Errorf("Confidence = %v, %v, want in [0.5, 1]", out.Confidence, in.Confidence)
			}
		})
	}
}

func TestScoreAloneEqualsBatch(t *testing.T) {
	train := gaussTable(200, 4, 2)
	probe := gaussTable(20, 4, 3)
	for _, name := range algorithmNames() {
		t.Run(name, func(t *testing.T) {
			d := MustFit(t, name, fastParams(name), train)
			batch := scoresOf(t, d, probe)
			for i, row := range probe.Rows {
				alone := scoresOf(t, d, Table{Columns: probe.Columns, Rows: [][]any{row}})
				if math.Float64bits(alone[0]) != math.Float64bits(batch[i]) {
					t.Fatalf("row %d: alone %v, in batch %v", i, alone[0], batch[i])
				}
				x, err := d.Vector(nil, probe.Columns, row)
				if err != nil {
					t.Fatal(err)
				}
				if v := d.ScoreVector(x); math.Float64bits(v) != math.Float64bits(batch[i]) {
					t.Fatalf("row %d: ScoreVector %v, batch %v", i, v, batch[i])
				}
			}
		})
	}
}

func TestMarshalLoadIdentical(t *testing.T) {
	train := gaussTable(150, 3, 4)
	train.Columns = append(train.Columns, "kind")
	for i := range train.Rows {
		train.Rows[i] = append(train.Rows[i], []string{"a", "b", "c"}[i%3])
	}
	probe := Table{Columns: train.Columns, Rows: append(gaussTable(10, 3, 5).Rows[:0:0], train.Rows[:10]...)}
	for _, name := range algorithmNames() {
		t.Run(name, func(t *testing.T) {
			d := MustFit(t, name, fastParams(name), train)
			b1, err := d.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			b2, _ := d.MarshalBinary()
			if !bytes.Equal(b1, b2) {
				t.Fatal("MarshalBinary not deterministic")
			}
			again := MustFit(t, name, fastParams(name), train)
			if b3, _ := again.MarshalBinary(); !bytes.Equal(b1, b3) {
				t.Fatal("two fits with the same parameters give different bytes")
			}
			l, err := Load(b1)
			if err != nil {
				t.Fatalf("Load = %v", err)
			}
			if b4, _ := l.MarshalBinary(); !bytes.Equal(b1, b4) {
				t.Fatal("bytes of the loaded model differ")
			}
			want, got := scoresOf(t, d, probe), scoresOf(t, l, probe)
			for i := range want {
				if math.Float64bits(want[i]) != math.Float64bits(got[i]) {
					t.Fatalf("row %d: loaded score %v, want %v", i, got[i], want[i])
				}
			}
			if l.Threshold() != d.Threshold() || l.Algorithm() != d.Algorithm() {
				t.Fatal("loaded threshold or algorithm differs")
			}
		})
	}
}

func TestLoadRejectsCorruptBytes(t *testing.T) {
	d := MustFit(t, "IsolationForest", map[string]any{"n_estimators": 3}, gaussTable(40, 2, 6))
	b, _ := d.MarshalBinary()
	for n := 0; n < len(b); n++ {
		if _, err := Load(b[:n]); err == nil {
			t.Fatalf("Load(first %d of %d bytes) = nil error", n, len(b))
		}
	}
	flipped := bytes.Clone(b)
	flipped[len(flipped)/2] ^= 0x40
	if _, err := Load(flipped); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("Load(flipped) = %v, want checksum error", err)
	}
	if _, err := Load([]byte("hello world, not a model")); err == nil {
		t.Fatal("Load(garbage) = nil error")
	}
}

func TestRowOrderInvariance(t *testing.T) {
	train := gaussTable(120, 3, 8)
	rev := Table{Columns: train.Columns}
	for i := len(train.Rows) - 1; i >= 0; i-- {
		rev.Rows = append(rev.Rows, train.Rows[i])
	}
	probe := gaussTable(15, 3, 9)
	const tol = 1e-9 // summation order of means and covariances may differ
	for _, name := range []string{"LOF", "KNN", "HBOS", "ECOD", "COPOD", "PCA", "ZScore", "MAD"} {
		t.Run(name, func(t *testing.T) {
			a := scoresOf(t, MustFit(t, name, nil, train), probe)
			b := scoresOf(t, MustFit(t, name, nil, rev), probe)
			for i := range a {
				if math.Abs(a[i]-b[i]) > tol*math.Max(1, math.Abs(a[i])) {
					t.Errorf("%d: got %v after reversing rows, want %v", i, b[i], a[i])
				}
			}
		})
	}
}

func TestEdgeShapes(t *testing.T) {
	dup := numTable([]float64{1, 2}, []float64{1, 2}, []float64{1, 2}, []float64{1, 2})
	constCol := numTable([]float64{1, 5}, []float64{2, 5}, []float64{3, 5}, []float64{4, 5}, []float64{5, 5})
	one := numTable([]float64{3, 4, 5})
	wide := gaussTable(5, 20, 10)
	cases := map[string]Table{"duplicates": dup, "constant_column": constCol, "one_row": one, "wide": wide}
	for _, name := range algorithmNames() {
		for cname, tab := range cases {
			t.Run(name+"/"+cname, func(t *testing.T) {
				d := MustFit(t, name, fastParams(name), tab)
				res, err := d.Score(tab)
				if err != nil {
					t.Fatal(err)
				}
				for i, r := range res {
					if math.IsNaN(r.Score) || math.IsInf(r.Score, 0) || math.IsNaN(r.AnomalyScore) {
						t.Fatalf("row %d: Score = %v, AnomalyScore = %v", i, r.Score, r.AnomalyScore)
					}
				}
			})
		}
	}
}

func TestBadInput(t *testing.T) {
	good := gaussTable(30, 2, 11)
	f := func(name string, tab Table, want string) {
		t.Helper()
		d, _ := New("IsolationForest", nil)
		err := d.Fit(tab)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: Fit error = %v, want containing %q", name, err, want)
		}
	}
	f("nan", numTable([]float64{1, 2}, []float64{math.NaN(), 1}), "NaN")
	f("inf", numTable([]float64{1, 2}, []float64{math.Inf(1), 1}), "infinite")
	f("empty", Table{Columns: []string{"a"}}, "no rows")
	f("ragged", Table{Columns: []string{"a", "b"}, Rows: [][]any{{1.0}}}, "row 0 has 1 cells, want 2")
	f("type", Table{Columns: []string{"a"}, Rows: [][]any{{[]int{1}}}}, "unsupported cell type")
	f("duplicate", Table{Columns: []string{"a", "a"}, Rows: [][]any{{1.0, 2.0}}}, "duplicate column")
	wide := Table{Rows: [][]any{make([]any, 40)}} // above the pairwise check's 32 columns
	for i := range 40 {
		wide.Columns = append(wide.Columns, fmt.Sprintf("c%d", i%39)) // c0 twice
		wide.Rows[0][i] = float64(i)
	}
	f("duplicate_wide", wide, `duplicate column "c0"`)
	f("no_columns", Table{Rows: [][]any{{}}}, "no feature columns")

	d, _ := New("LOF", nil)
	if _, err := d.Score(good); !errors.Is(err, ErrNotFitted) {
		t.Errorf("Score before Fit = %v, want ErrNotFitted", err)
	}
	if _, err := d.MarshalBinary(); !errors.Is(err, ErrNotFitted) {
		t.Errorf("MarshalBinary before Fit = %v, want ErrNotFitted", err)
	}
	d = MustFit(t, "LOF", nil, good)
	if _, err := d.Score(Table{Columns: good.Columns, Rows: [][]any{{math.NaN(), 1.0}}}); err == nil || !strings.Contains(err.Error(), "row 0") {
		t.Errorf("Score(NaN) = %v, want error naming row 0", err)
	}
	if _, err := d.Score(Table{Columns: good.Columns}); !errors.Is(err, ErrEmpty) {
		t.Errorf("Score(empty) = %v, want ErrEmpty", err)
	}
	bad := Table{Columns: good.Columns, Rows: [][]any{{"abc", 1.0}}}
	if _, err := d.Score(bad); err == nil || !strings.Contains(err.Error(), "want a number") {
		t.Errorf("Score(string in numeric column) = %v", err)
	}
}

func TestParamValidation(t *testing.T) {
	f := func(algo string, p map[string]any, field, issue string) {
		t.Helper()
		_, err := New(algo, p)
		var pe *ParamError
		if !errors.As(err, &pe) {
			t.Fatalf("New(%s, %v) = %v, want *ParamError", algo, p, err)
		}
		if pe.Field != field || !strings.Contains(pe.Issue, issue) {
			t.Errorf("New(%s, %v) = {%s, %s}, want {%s, ...%s...}", algo, p, pe.Field, pe.Issue, field, issue)
		}
	}
	f("IsolationForest", map[string]any{"contamination": 0.7}, "contamination", "Value must be between 0 and 0.5")
	f("IsolationForest", map[string]any{"n_estimators": 2.5}, "n_estimators", "integer")
	f("IsolationForest", map[string]any{"n_estimators": "many"}, "n_estimators", "finite number")
	f("IsolationForest", map[string]any{"max_features": 0.0}, "max_features", "greater than 0")
	f("IsolationForest", map[string]any{"n_neighbors": 3}, "n_neighbors", "Unknown parameter")
	f("KNN", map[string]any{"method": "sum"}, "method", "largest, mean, median")
	f("Ensemble", map[string]any{"members": "IsolationForest,Nope"}, "members", "unknown algorithm")
	f("Ensemble", map[string]any{"combination": "weighted", "weights": "1,2"}, "weights", "one weight per detector")
	f("Ensemble", map[string]any{"members": "HBOS"}, "members", "Need 2 to 16")

	d, err := New("isolationforest", map[string]any{"n_estimators": "50", "contamination": json.Number("0.2")})
	if err != nil {
		t.Fatal(err)
	}
	if d.Algorithm() != "IsolationForest" || d.Params()["n_estimators"] != 50 || d.Contamination() != 0.2 {
		t.Errorf("got %s %v", d.Algorithm(), d.Params())
	}
	if _, err := New("NoSuchThing", nil); err == nil {
		t.Error("New(unknown algorithm) = nil error")
	}
}

func TestCatalogueShape(t *testing.T) {
	cat := Catalogue()
	if len(cat) < 13 {
		t.Fatalf("Catalogue has %d entries", len(cat))
	}
	b, err := json.Marshal(cat[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"name", "category", "description", "parameters", "complexity", "scalability"} {
		if _, ok := m[k]; !ok {
			t.Errorf("catalogue JSON lacks %q: %s", k, b)
		}
	}
	c := m["parameters"].(map[string]any)["contamination"].(map[string]any)
	if c["type"] != "float" || c["default"] != 0.1 || c["min"] != 0.0 || c["max"] != 0.5 || c["description"] == "" {
		t.Errorf("contamination spec = %v", c)
	}
	for _, a := range cat {
		for name, p := range a.Parameters {
			if _, err := coerceParam(name, p, p.Default); err != nil {
				t.Errorf("%s.%s: default %v invalid: %v", a.Name, name, p.Default, err)
			}
			if p.Description == "" {
				t.Errorf("%s.%s has no description", a.Name, name)
			}
		}
	}
}

func TestPreparationAndExplanation(t *testing.T) {
	tab := Table{Columns: []string{"amount", "merchant", "user"}}
	for i := 0; i < 200; i++ {
		tab.Rows = append(tab.Rows, []any{float64(10 + i%20), []string{"grocery", "fuel"}[i%2], "u" + string(rune('A'+i%20))})
	}
	d := MustFit(t, "IsolationForest", nil, tab)
	names := d.FeatureNames()
	want := []string{"amount", "merchant=fuel", "merchant=grocery", "user:frequency"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("FeatureNames = %v, want %v (user has %d values > MaxOneHot)", names, want, 20)
	}
	// Columns reordered, one missing (amount), one unknown (extra), unseen category.
	res, err := d.Score(Table{Columns: []string{"extra", "user", "merchant"}, Rows: [][]any{{1, "zzz", "jewelry"}}})
	if err != nil {
		t.Fatal(err)
	}
	e := res[0].Explanation
	for _, s := range []string{`merchant = "jewelry" was never seen in training`, "amount was missing: imputed with the training median 19.5"} {
		if !strings.Contains(e, s) {
			t.Errorf("Explanation = %q, want it to contain %q", e, s)
		}
	}
	d = MustFit(t, "ZScore", nil, tab)
	res, _ = d.Score(Table{Columns: tab.Columns, Rows: [][]any{{1e6, "fuel", "uA"}}})
	if e := res[0].Explanation; !strings.Contains(e, "amount is unusually high (1e+06): above all training rows (maximum 29)") || !res[0].IsAnomaly {
		t.Errorf("Explanation = %q, IsAnomaly = %v", e, res[0].IsAnomaly)
	}
	if c := res[0].Contributions[0]; c.Feature != "amount" || c.Direction != "high" || c.Percentile != 1 {
		t.Errorf("Contributions[0] = %+v", c)
	}
	sum := d.Summary()
	if sum.Rows != 200 || len(sum.Columns) != 3 || len(sum.Features) != 4 {
		t.Errorf("Summary = %+v", sum)
	}
}

func TestCalibration(t *testing.T) {
	c := fitCalibration([]float64{5, 1, 4, 2, 3}, 0.2)
	const tol = 1e-12
	if math.Abs(c.threshold-4.2) > tol {
		t.Errorf("threshold = %v, want 4.2", c.threshold)
	}
	for i, tc := range []struct{ s, want float64 }{{0, 0}, {1, 0}, {3, 0.5}, {4.5, 0.875}, {5, 1}, {9, 1}} {
		if got := c.anomalyScore(tc.s); math.Abs(got-tc.want) > tol {
			t.Errorf("%d: anomalyScore(%v) = %v, want %v", i, tc.s, got, tc.want)
		}
	}
	if got := c.confidence(1, true); got != 1 {
		t.Errorf("confidence(1, anomalous) = %v, want 1", got)
	}
	if got := c.confidence(c.tau, false); got != 0.5 {
		t.Errorf("confidence(at threshold) = %v, want 0.5", got)
	}
}

func TestScoreVectorNonFiniteDoesNotPanic(t *testing.T) {
	tab := gaussTable(100, 3, 12)
	for _, name := range algorithmNames() {
		d := MustFit(t, name, fastParams(name), tab)
		for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(math.NaN(), -1)} {
			d.ScoreVector([]float64{v, v, 0})
			d.ScoreVector([]float64{0, v, v})
		}
	}
}

func TestConcurrentScoring(t *testing.T) {
	train := gaussTable(300, 3, 13)
	probe := gaussTable(40, 3, 14)
	probe.Columns = train.Columns
	for _, name := range []string{"IsolationForest", "LOF", "Ensemble"} {
		d := MustFit(t, name, fastParams(name), train)
		want := scoresOf(t, d, probe)
		done := make(chan []float64, 4)
		for g := 0; g < 4; g++ {
			go func() {
				res, _ := d.Score(probe)
				out := make([]float64, len(res))
				for i, r := range res {
					out[i] = r.Score
				}
				done <- out
			}()
		}
		for g := 0; g < 4; g++ {
			got := <-done
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%s: concurrent score %v, want %v", name, got[i], want[i])
				}
			}
		}
	}
}

func TestAttributionNamesTheDrivingColumn(t *testing.T) {
	train := gaussTable(400, 4, 15)
	probe := Table{Columns: train.Columns, Rows: [][]any{{0.1, -0.2, 9.0, 0.3}}}
	for _, name := range []string{"IsolationForest", "HBOS", "ECOD", "PCA", "EllipticEnvelope", "MAD", "LOF"} {
		d := MustFit(t, name, fastParams(name), train)
		res, err := d.Score(probe)
		if err != nil {
			t.Fatal(err)
		}
		c := res[0].Contributions
		if len(c) == 0 || c[0].Feature != train.Columns[2] || c[0].Direction != "high" {
			t.Errorf("%s: top contribution %+v, want %s high", name, c, train.Columns[2])
		}
	}
}

// TestScoreAttributeMatchesBatch checks the single-walk path that Score takes for a few rows
// against the batch path it takes for many: the same scores bit for bit, the same explanations.
func TestScoreAttributeMatchesBatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	cols := []string{"a", "b", "c"}
	rows := make([][]any, 3000)
	for i := range rows {
		rows[i] = []any{rng.NormFloat64(), rng.ExpFloat64() * 10, float64(rng.IntN(5))}
	}
	d, err := New("IsolationForest", map[string]any{"random_state": 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Fit(Table{Columns: cols, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	probe := rows[:scoreAttributeRows+40] // more than scoreAttributeRows: the batch path
	batch, err := d.Score(Table{Columns: cols, Rows: probe})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range probe {
		one, err := d.Score(Table{Columns: cols, Rows: [][]any{r}})
		if err != nil {
			t.Fatal(err)
		}
		if one[0].Score != batch[i].Score || one[0].Explanation != batch[i].Explanation ||
			!reflect.DeepEqual(one[0].Contributions, batch[i].Contributions) {
			t.Fatalf("row %d alone: %v %q, in a batch: %v %q", i, one[0].Score, one[0].Explanation, batch[i].Score, batch[i].Explanation)
		}
	}
}
