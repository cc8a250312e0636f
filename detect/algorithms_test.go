package detect

import (
	"math"
	"testing"
)

// tolHand allows for the 1e-10 LOF density guard and last-bit rounding in
// the hand-checked cases below.
const tolHand = 1e-8

// fitScores fits algorithm on rows and returns the FitScore scores.
func fitScores(t *testing.T, algorithm string, params map[string]any, tab Table) ([]float64, *Detector) {
	t.Helper()
	d, err := New(algorithm, params)
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.FitScore(tab)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(res))
	for i, r := range res {
		out[i] = r.Score
	}
	return out, d
}

func near(a, b float64) bool { return math.Abs(a-b) <= tolHand*math.Max(1, math.Abs(b)) }

func TestHandCases(t *testing.T) {
	line := numTable([]float64{0}, []float64{1}, []float64{2}, []float64{3}, []float64{10})

	// LOF, k=2: k-distances 2,1,1,2,8; lrd of 0..3 = 1/1.5, of 10 = 1/7.5.
	// LOF(10) = (2/3)/(2/15) = 5, LOF(0) = 1.
	lofS, lofD := fitScores(t, "LOF", map[string]any{"n_neighbors": 2}, line)
	for i, want := range []float64{1, 1, 1, 1, 5} {
		if !near(lofS[i], want) {
			t.Errorf("LOF %d: got %v want %v", i, lofS[i], want)
		}
	}
	// A new point at 3 (a training value) has neighbours 3 (0) and 2 (1):
	// reach = max(2, 0), max(1, 1) → mean 1.5, lrd 2/3 → LOF 1.
	if got := scoresOf(t, lofD, numTable([]float64{3})); !near(got[0], 1) {
		t.Errorf("LOF(new 3): got %v want 1", got[0])
	}

	// KNN, k=2: largest distance 2,1,1,2,8; mean for 10 is 7.5.
	knnS, _ := fitScores(t, "KNN", map[string]any{"n_neighbors": 2}, line)
	for i, want := range []float64{2, 1, 1, 2, 8} {
		if !near(knnS[i], want) {
			t.Errorf("KNN %d: got %v want %v", i, knnS[i], want)
		}
	}
	meanS, _ := fitScores(t, "KNN", map[string]any{"n_neighbors": 2, "method": "mean"}, line)
	if !near(meanS[4], 7.5) {
		t.Errorf("KNN mean(10): got %v want 7.5", meanS[4])
	}

	// HBOS, 2 bins over [0, 1] with 3 zeros and a one.
	h := numTable([]float64{0}, []float64{0}, []float64{0}, []float64{1})
	hb, hd := fitScores(t, "HBOS", map[string]any{"n_bins": 2, "alpha": 1e-9}, h)
	if !near(hb[0], -math.Log(0.75+1e-9)) || !near(hb[3], -math.Log(0.25+1e-9)) {
		t.Errorf("HBOS: got %v", hb)
	}
	if got := scoresOf(t, hd, numTable([]float64{5})); !near(got[0], -math.Log(1e-9)) {
		t.Errorf("HBOS(out of range): got %v want %v", got[0], -math.Log(1e-9))
	}

	// ECOD on 1..5 (skewness 0): at 5 the left tail is 1 and the right 1/5,
	// so the score is ln 5.
	five := numTable([]float64{1}, []float64{2}, []float64{3}, []float64{4}, []float64{5})
	ec, _ := fitScores(t, "ECOD", nil, five)
	if !near(ec[4], math.Log(5)) {
		t.Errorf("ECOD(5): got %v want %v", ec[4], math.Log(5))
	}
	// COPOD at 3: both tails 3/5, skew 0 → max(2·ln(5/3), ln(5/3)).
	co, _ := fitScores(t, "COPOD", nil, five)
	if !near(co[2], 2*math.Log(5.0/3)) {
		t.Errorf("COPOD(3): got %v want %v", co[2], 2*math.Log(5.0/3))
	}

	// ZScore on 1..5: |5-3| / √2. MAD: |5-3| / 1.4826.
	zs, _ := fitScores(t, "ZScore", nil, five)
	if !near(zs[4], 2/math.Sqrt2) {
		t.Errorf("ZScore(5): got %v want %v", zs[4], 2/math.Sqrt2)
	}
	md, _ := fitScores(t, "MAD", nil, five)
	if !near(md[4], 2/1.4826) {
		t.Errorf("MAD(5): got %v want %v", md[4], 2/1.4826)
	}

	// IsolationForest on two distinct rows: every tree is one split into two
	// leaves of one row at depth 1, so the score is 2^(-1/c(2)) = 0.5.
	two := numTable([]float64{0, 0}, []float64{1, 1})
	ifS, _ := fitScores(t, "IsolationForest", map[string]any{"n_estimators": 10}, two)
	if ifS[0] != 0.5 || ifS[1] != 0.5 {
		t.Errorf("IsolationForest(two rows): got %v want 0.5, 0.5", ifS)
	}
	if got := avgPathLength(256); math.Abs(got-10.24477092011985) > 1e-12 {
		t.Errorf("c(256) = %v", got)
	}

	// PCA: rows on the line y = x have zero residual off the first component.
	var pts [][]float64
	for i := 0; i < 20; i++ {
		pts = append(pts, []float64{float64(i), float64(i)})
	}
	pc, pd := fitScores(t, "PCA", map[string]any{"n_components": 1, "weighted": false}, numTable(pts...))
	for i, v := range pc {
		if v > 1e-20 {
			t.Errorf("PCA row %d on the line: residual %v", i, v)
		}
	}
	if got := scoresOf(t, pd, numTable([]float64{5, 15})); got[0] < 1 {
		t.Errorf("PCA off the line: residual %v, want > 1", got[0])
	}

	// EllipticEnvelope in one dimension: the MCD of 1..9 keeps the central
	// rows; the score grows with the distance from the robust centre.
	var one [][]float64
	for i := 1; i <= 9; i++ {
		one = append(one, []float64{float64(i)})
	}
	one = append(one, []float64{100})
	ee, _ := fitScores(t, "EllipticEnvelope", nil, numTable(one...))
	if !(ee[9] > 100*ee[0]) || !(ee[0] > ee[4]) {
		t.Errorf("EllipticEnvelope scores %v", ee)
	}
}

func TestOneClassSVMNuBound(t *testing.T) {
	// libsvm's ν-property: at most a fraction ν of training rows lie outside
	// (decision < 0, i.e. score > 0), up to the solver tolerance.
	tab := gaussTable(300, 2, 21)
	s, _ := fitScores(t, "OneClassSVM", map[string]any{"nu": 0.1}, tab)
	out := 0
	for _, v := range s {
		if v > 1e-3 {
			out++
		}
	}
	if frac := float64(out) / float64(len(s)); frac > 0.12 {
		t.Errorf("fraction outside = %v, want <= nu = 0.1", frac)
	}
}

func TestHalfSpaceTreesOnline(t *testing.T) {
	d := MustFit(t, "HalfSpaceTrees", map[string]any{"window_size": 20, "height": 4}, gaussTable(40, 2, 22))
	probe := []float64{0.1, 0.1}
	before := d.ScoreVector(probe)
	far := []float64{50, 50}
	for i := 0; i < 19; i++ {
		if err := d.Learn(far); err != nil {
			t.Fatal(err)
		}
	}
	if got := d.ScoreVector(probe); got != before {
		t.Fatalf("score changed before the window completed: %v -> %v", before, got)
	}
	d.Learn(far)
	if got := d.ScoreVector(probe); !(got > before) {
		t.Errorf("after a window of far rows, centre score %v, want > %v", got, before)
	}
	if got := d.ScoreVector(far); !(got < d.ScoreVector(probe)) {
		t.Errorf("far row score %v should now be the normal one", got)
	}
	other := MustFit(t, "HBOS", nil, gaussTable(10, 2, 1))
	if err := other.Learn(probe); err == nil {
		t.Error("Learn on HBOS = nil error")
	}
}

func TestSortFloats(t *testing.T) {
	tab := gaussTable(5000, 1, 60)
	v := make([]float64, 0, 5003)
	for _, r := range tab.Rows {
		v = append(v, r[0].(float64)*1e3)
	}
	v = append(v, 0, math.Copysign(0, -1), -1e300)
	sortFloats(v)
	for i := 1; i < len(v); i++ {
		if v[i] < v[i-1] {
			t.Fatalf("%d: %v after %v", i, v[i], v[i-1])
		}
	}
}

func TestLODAHandCase(t *testing.T) {
	// One projection of one feature, two bins: whatever the sign of the
	// weight, the bins hold 3 and 1 of the rows.
	h := numTable([]float64{0}, []float64{0}, []float64{0}, []float64{1})
	s, _ := fitScores(t, "LODA", map[string]any{"n_random_cuts": 1, "n_bins": 2}, h)
	const tol = 1e-9 // lodaEps in the bin counts
	if math.Abs(s[0]+math.Log(0.75)) > tol || math.Abs(s[3]+math.Log(0.25)) > tol {
		t.Errorf("LODA: got %v, want %v, %v", s, -math.Log(0.75), -math.Log(0.25))
	}
}

func TestEnsembleEqualsCombine(t *testing.T) {
	train := gaussTable(200, 3, 61)
	probe := gaussTable(30, 3, 62)
	probe.Columns = train.Columns
	for _, strategy := range Strategies() {
		p := map[string]any{"members": "ZScore,MAD", "combination": strategy, "contamination": 0.2}
		if strategy == CombineWeighted {
			p["weights"] = "1,3"
		}
		ens := MustFit(t, "Ensemble", p, train)
		z := MustFit(t, "ZScore", map[string]any{"contamination": 0.2}, train)
		m := MustFit(t, "MAD", map[string]any{"contamination": 0.2}, train)
		var q [2][]float64
		var f [2][]bool
		for k, d := range []*Detector{z, m} {
			for _, s := range scoresOf(t, d, probe) {
				a, _, flag := d.Calibrate(s)
				q[k] = append(q[k], a)
				f[k] = append(f[k], flag)
			}
		}
		var w []float64
		if strategy == CombineWeighted {
			w = []float64{1, 3}
		}
		c, err := Combine(strategy, q[:], f[:], w)
		if err != nil {
			t.Fatal(err)
		}
		got := scoresOf(t, ens, probe)
		for i := range got {
			if math.Abs(got[i]-c.Scores[i]) > 1e-12 {
				t.Fatalf("%s row %d: Ensemble score %v, Combine %v", strategy, i, got[i], c.Scores[i])
			}
		}
	}
}

func TestAllKNNMatchesTree(t *testing.T) {
	tab := gaussTable(300, 20, 63)
	n, d, k := 300, 20, 7
	x := make([]float64, 0, n*d)
	for _, r := range tab.Rows {
		for _, v := range r {
			x = append(x, math.Round(v.(float64)*2)/2) // ties included
		}
	}
	tree := newKDTree(x, n, d)
	brute := allKNN(x, n, d, k)
	h := make([]neighbor, 0, k)
	for i := 0; i < n; i++ {
		h = tree.knn(x[i*d:(i+1)*d], k, int32(i), h)
		for j := range h {
			if h[j] != brute[i*k+j] {
				t.Fatalf("row %d neighbour %d: tree %+v, brute force %+v", i, j, h[j], brute[i*k+j])
			}
		}
	}
}
