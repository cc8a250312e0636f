package odds

import (
	"flag"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var (
	seeds    = flag.Int("odds.seeds", 0, "run -odds.seedalgo with this many random_state values per set and print the ROC-AUC spread")
	seedAlgo = flag.String("odds.seedalgo", "IsolationForest", "algorithm of the seed spread: IsolationForest or EllipticEnvelope")
	setList  = flag.String("odds.sets", "", "comma-separated set names for the seed spread (default all)")
)

// sklearnSeeds holds scikit-learn's IsolationForest ROC-AUC over random_state
// 42 to 51 per set: mean and sample standard deviation, measured with
// `OMP_NUM_THREADS=1 /usr/bin/python3 bench/odds/sklearn_seeds.py iforest 10`
// (Debian's scikit-learn 1.2.1; bench/RESULTS.md, IsolationForest seed table).
var sklearnSeeds = map[string]struct{ mean, sd float64 }{
	"annthyroid.csv":  {0.814, 0.021},
	"breastw.csv":     {0.987, 0.001},
	"cardio.csv":      {0.924, 0.007},
	"glass.csv":       {0.795, 0.011},
	"ionosphere.csv":  {0.851, 0.003},
	"letter.csv":      {0.629, 0.016},
	"mammography.csv": {0.857, 0.007},
	"musk.csv":        {1.000, 0.000},
	"optdigits.csv":   {0.722, 0.035},
	"pendigits.csv":   {0.944, 0.011},
	"pima.csv":        {0.669, 0.012},
	"satellite.csv":   {0.712, 0.020},
	"satimage-2.csv":  {0.993, 0.001},
	"shuttle.csv":     {0.997, 0.001},
	"smtp.csv":        {0.906, 0.005},
	"thyroid.csv":     {0.977, 0.004},
	"vowels.csv":      {0.750, 0.029},
	"wbc.csv":         {0.995, 0.001},
	"wdbc.csv":        {0.986, 0.003},
}

// seedROC returns the ROC-AUC of algorithm on s for random_state 42 to
// 42+k-1 (with the -odds.params overrides).
func seedROC(tb testing.TB, s *Set, algorithm string, k int) []float64 {
	tb.Helper()
	rocs := make([]float64, k)
	for i := range rocs {
		o, err := Run(s, algorithm, withExtra(map[string]any{"random_state": 42 + i}))
		if err != nil {
			tb.Fatal(err)
		}
		rocs[i] = o.ROC
	}
	return rocs
}

// meanSD returns the mean and sample standard deviation of v.
func meanSD(v []float64) (mean, sd float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(max(len(v)-1, 1)))
}

// TestSeedSpread measures how much an algorithm's ROC-AUC moves with the
// random seed alone, which bounds how closely any reimplementation can match
// scikit-learn's single random_state=42 run.
func TestSeedSpread(t *testing.T) {
	if *seeds <= 0 {
		t.Skip("seed spread runs with -odds.seeds N")
	}
	dir := mustDir(t)
	base, err := LoadBaselines(filepath.Join(dir, "BASELINES.md"))
	if err != nil {
		t.Fatal(err)
	}
	names, _ := SetNames(dir)
	if *setList != "" {
		names = strings.Split(*setList, ",")
	}
	ref := "IForest ROC"
	if *seedAlgo == "EllipticEnvelope" {
		ref = "EllipticEnv ROC"
	}
	var b strings.Builder
	b.WriteString("| dataset | sklearn (seed 42) | ours seed 42 | mean over seeds | sd | min | max | sklearn within [min, max] | sklearn mean ± sd (42–51) |\n|---|---:|---:|---:|---:|---:|---:|---|---:|\n")
	var sumMean, sumSk float64
	for _, n := range names {
		s, err := LoadSet(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		rocs := seedROC(t, s, *seedAlgo, *seeds)
		m, sd := meanSD(rocs)
		want := base[n][ref]
		in := "yes"
		if want < slices.Min(rocs) || want > slices.Max(rocs) {
			in = "no"
		}
		sk := "–"
		if v, ok := sklearnSeeds[n]; ok && *seedAlgo == "IsolationForest" {
			sk = fmt.Sprintf("%.3f ± %.3f", v.mean, v.sd)
			sumSk += v.mean
		}
		sumMean += m
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %s | %s |\n", n, want, rocs[0], m, sd, slices.Min(rocs), slices.Max(rocs), in, sk)
	}
	sk := "–"
	if sumSk > 0 {
		sk = fmt.Sprintf("%.3f", sumSk/float64(len(names)))
	}
	fmt.Fprintf(&b, "| **mean** | | | %.4f | | | | | %s |\n", sumMean/float64(len(names)), sk)
	t.Log("\n" + b.String())
}
