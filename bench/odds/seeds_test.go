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
	b.WriteString("| dataset | sklearn (seed 42) | ours seed 42 | mean over seeds | sd | min | max | sklearn within [min, max] |\n|---|---:|---:|---:|---:|---:|---:|---|\n")
	var sumMean float64
	for _, n := range names {
		s, err := LoadSet(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		var rocs []float64
		var at42 float64
		for k := 0; k < *seeds; k++ {
			seed := 42 + k
			o, err := Run(s, *seedAlgo, withExtra(map[string]any{"random_state": seed}))
			if err != nil {
				t.Fatal(err)
			}
			if seed == 42 {
				at42 = o.ROC
			}
			rocs = append(rocs, o.ROC)
		}
		var m, v float64
		for _, r := range rocs {
			m += r
		}
		m /= float64(len(rocs))
		for _, r := range rocs {
			v += (r - m) * (r - m)
		}
		sd := math.Sqrt(v / float64(max(len(rocs)-1, 1)))
		want := base[n][ref]
		in := "yes"
		if want < slices.Min(rocs) || want > slices.Max(rocs) {
			in = "no"
		}
		sumMean += m
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %s |\n", n, want, at42, m, sd, slices.Min(rocs), slices.Max(rocs), in)
	}
	fmt.Fprintf(&b, "| **mean** | | | %.3f | | | | |\n", sumMean/float64(len(names)))
	t.Log("\n" + b.String())
}
