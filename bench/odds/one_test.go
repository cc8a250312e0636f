package odds

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"
)

var one = flag.String("odds.one", "", "algorithm:set to run once (for profiling)")

// TestOne runs one algorithm on one set with default parameters and logs
// its ROC-AUC, PR-AUC and time (e.g. under -cpuprofile).
func TestOne(t *testing.T) {
	if *one == "" {
		t.Skip("runs with -odds.one algorithm:set.csv")
	}
	algo, set, ok := strings.Cut(*one, ":")
	if !ok {
		t.Fatalf("-odds.one %q: want algorithm:set.csv", *one)
	}
	s, err := LoadSet(filepath.Join(mustDir(t), set))
	if err != nil {
		t.Fatal(err)
	}
	o, err := Run(s, algo, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s on %s: ROC %.4f PR %.4f in %v", algo, set, o.ROC, o.PR, o.Fit)
}
