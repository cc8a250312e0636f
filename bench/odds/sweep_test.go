package odds

import (
	"flag"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

var (
	full  = flag.Bool("odds.full", false, "run every algorithm on all ODDS sets and print the tables")
	algos = flag.String("odds.algos", "", "comma-separated algorithms for -odds.full (default: all compared ones)")
	extra = flag.String("odds.params", "", "key=value,... parameters added to every run of -odds.full")
)

// withExtra adds the -odds.params overrides to p.
func withExtra(p map[string]any) map[string]any {
	if *extra == "" {
		return p
	}
	out := map[string]any{}
	for k, v := range p {
		out[k] = v
	}
	for _, kv := range strings.Split(*extra, ",") {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = v
	}
	return out
}

func mustDir(tb testing.TB) string {
	tb.Helper()
	d := Dir()
	names, err := SetNames(d)
	if err != nil || len(names) == 0 {
		tb.Skipf("ODDS data not found in %s (set %s): skipping", d, EnvDir)
	}
	return d
}

// algoRun names an algorithm configuration and its reference column.
type algoRun struct {
	label, algorithm, ref string
	params                func(s *Set) map[string]any
}

func outlierRate(s *Set) float64 {
	var k float64
	for _, l := range s.Labels {
		if l {
			k++
		}
	}
	return k / float64(len(s.Labels))
}

func runs() []algoRun {
	return []algoRun{
		{"IsolationForest", "IsolationForest", "IForest", func(*Set) map[string]any {
			return map[string]any{"n_estimators": 100, "max_samples": 256, "random_state": 42}
		}},
		{"IsolationForest-sklearn", "IsolationForest", "IForest", func(*Set) map[string]any {
			return map[string]any{"n_estimators": 100, "max_samples": 256, "random_state": 42, "draws": "sklearn"}
		}},
		{"LOF", "LOF", "LOF", func(*Set) map[string]any { return map[string]any{"n_neighbors": 20} }},
		{"OneClassSVM", "OneClassSVM", "OCSVM", func(s *Set) map[string]any {
			return map[string]any{"nu": outlierRate(s)}
		}},
		{"EllipticEnvelope", "EllipticEnvelope", "EllipticEnv", func(*Set) map[string]any { return map[string]any{"random_state": 42} }},
		{"HBOS", "HBOS", "HBOS", func(*Set) map[string]any { return map[string]any{"n_bins": 10, "alpha": 1e-6} }},
		{"KNN", "KNN", "", func(*Set) map[string]any { return nil }},
		{"ECOD", "ECOD", "", func(*Set) map[string]any { return nil }},
		{"COPOD", "COPOD", "", func(*Set) map[string]any { return nil }},
		{"PCA", "PCA", "", func(*Set) map[string]any { return nil }},
		{"LODA", "LODA", "", func(*Set) map[string]any { return nil }},
		{"HalfSpaceTrees", "HalfSpaceTrees", "", func(*Set) map[string]any { return nil }},
		{"MAD", "MAD", "", func(*Set) map[string]any { return nil }},
		{"Ensemble", "Ensemble", "", func(*Set) map[string]any { return nil }},
	}
}

func TestFullSweep(t *testing.T) {
	if !*full {
		t.Skip("full ODDS sweep runs with -odds.full")
	}
	dir := mustDir(t)
	base, err := LoadBaselines(filepath.Join(dir, "BASELINES.md"))
	if err != nil {
		t.Fatal(err)
	}
	names, _ := SetNames(dir)
	var sel []algoRun
	for _, r := range runs() {
		if *algos == "" || strings.Contains(","+*algos+",", ","+r.label+",") {
			sel = append(sel, r)
		}
	}
	sets := make([]*Set, len(names))
	for i, n := range names {
		if sets[i], err = LoadSet(filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	var b strings.Builder
	b.WriteString("| dataset |")
	for _, r := range sel {
		fmt.Fprintf(&b, " %s ROC | ref | PR | fit s |", r.label)
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|---:|---:|---:|", len(sel)) + "\n")
	sum := make([]float64, len(sel))
	cnt := make([]int, len(sel))
	for _, s := range sets {
		fmt.Fprintf(&b, "| %s |", s.Name)
		for k, r := range sel {
			if r.label == "OneClassSVM" && len(s.Rows) > 20000 {
				b.WriteString(" skip | skip | | |")
				continue
			}
			o, err := Run(s, r.algorithm, withExtra(r.params(s)))
			if err != nil {
				t.Errorf("%s: %v", s.Name, err)
				b.WriteString(" err | | | |")
				continue
			}
			ref := "–"
			if v, ok := base[s.Name][r.ref+" ROC"]; ok {
				ref = fmt.Sprintf("%.3f", v)
				if math.Abs(o.ROC-v) > 0.01 {
					ref += " ⚠"
				}
			}
			fmt.Fprintf(&b, " %.3f | %s | %.3f | %.3f |", o.ROC, ref, o.PR, o.Fit.Seconds())
			sum[k] += o.ROC
			cnt[k]++
		}
		b.WriteString("\n")
	}
	b.WriteString("| **mean** |")
	for k := range sel {
		fmt.Fprintf(&b, " %.3f (%d) | | | |", sum[k]/float64(cnt[k]), cnt[k])
	}
	b.WriteString("\n")
	t.Log("\n" + b.String())
}
