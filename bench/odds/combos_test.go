package odds

import (
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/topoforge/topoforge/detect"
)

var combos = flag.Bool("odds.combos", false, "search ensembles of calibrated algorithm scores on all sets and print the best")

// TestEnsembleSearch ranks averages of members' anomaly_score (training CDF)
// by mean ROC-AUC over the sets: how the recommended default was chosen.
func TestEnsembleSearch(t *testing.T) {
	if !*combos {
		t.Skip("ensemble search runs with -odds.combos")
	}
	dir := mustDir(t)
	names, _ := SetNames(dir)
	algos := []string{"IsolationForest", "LOF", "KNN", "HBOS", "ECOD", "COPOD", "PCA", "EllipticEnvelope", "LODA", "MAD"}
	// q[a][s] = anomaly scores of algorithm a on set s.
	q := make([][][]float64, len(algos))
	labels := make([][]bool, len(names))
	for si, n := range names {
		s, err := LoadSet(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		labels[si] = s.Labels
		tab := s.Table()
		for ai, a := range algos {
			d, _ := detect.New(a, nil)
			res, err := d.FitScore(tab)
			if err != nil {
				t.Fatal(err)
			}
			v := make([]float64, len(res))
			for i, r := range res {
				v[i] = r.AnomalyScore
			}
			q[ai] = append(q[ai], v)
		}
	}
	type result struct {
		name string
		mean float64
		per  []float64
	}
	var out []result
	for mask := 1; mask < 1<<len(algos); mask++ {
		var members []int
		for a := range algos {
			if mask&(1<<a) != 0 {
				members = append(members, a)
			}
		}
		if len(members) > 5 {
			continue
		}
		for _, strat := range []string{"average", "max"} {
			if len(members) == 1 && strat == "max" {
				continue
			}
			var sum float64
			per := make([]float64, len(names))
			for si := range names {
				n := len(labels[si])
				comb := make([]float64, n)
				for i := 0; i < n; i++ {
					var v float64
					for _, a := range members {
						if strat == "max" {
							v = max(v, q[a][si][i])
						} else {
							v += q[a][si][i]
						}
					}
					comb[i] = v
				}
				per[si] = detect.ROCAUC(comb, labels[si])
				sum += per[si]
			}
			var label []string
			for _, a := range members {
				label = append(label, algos[a])
			}
			out = append(out, result{strat + "(" + strings.Join(label, ",") + ")", sum / float64(len(names)), per})
		}
	}
	slices.SortFunc(out, func(a, b result) int {
		if a.mean > b.mean {
			return -1
		}
		if a.mean < b.mean {
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	var b strings.Builder
	for i, r := range out[:40] {
		fmt.Fprintf(&b, "%2d %.4f min %.3f %s\n", i+1, r.mean, slices.Min(r.per), r.name)
	}
	for _, r := range out {
		if !strings.Contains(r.name, ",") {
			fmt.Fprintf(&b, "single %.4f %s\n", r.mean, r.name)
		}
	}
	t.Log("\n" + b.String())
}
