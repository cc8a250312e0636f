package streamnab

import (
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/topoforge/topoforge/bench/nab"
	"github.com/topoforge/topoforge/stream"
)

var (
	full   = flag.Bool("nab.full", false, "replay the whole NAB corpus and score it (about a minute)")
	outDir = flag.String("nab.out", "", "with -nab.full, write NAB results files below this directory")
	minStd = flag.Float64("nab.min", 65, "with -nab.full, the lowest acceptable standard-profile score")
)

// dataEnv names the environment variable that points at a NAB checkout.
const dataEnv = "TOPOFORGE_NAB_DATA"

// MustCorpus loads the NAB corpus, or skips tb when it is absent.
func MustCorpus(tb testing.TB) *nab.Corpus {
	tb.Helper()
	dir := os.Getenv(dataEnv)
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data", "nab")
	}
	if _, err := os.Stat(filepath.Join(dir, "labels", "combined_windows.json")); err != nil {
		tb.Skipf("NAB data not found at %s; set %s to a NAB checkout to run this test", dir, dataEnv)
	}
	c, err := nab.LoadCorpus(dir)
	if err != nil {
		tb.Fatalf("LoadCorpus(%s): %v", dir, err)
	}
	return c
}

// TestNABSample replays two short series with the default configuration: the scores
// are valid NAB scores and the obvious anomaly of art_daily_jumpsup is found.
func TestNABSample(t *testing.T) {
	c := MustCorpus(t)
	sub, err := c.Subset("artificialWithAnomaly/art_daily_jumpsup.csv", "realTraffic/speed_7578.csv")
	if err != nil {
		t.Fatal(err)
	}
	scores, err := CorpusScores(sub, stream.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	std := nab.DefaultProfiles()[0]
	res, err := nab.ScoreAtThreshold(sub, scores, std, stream.DefaultAnomalyThreshold/100.0)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		t.Logf("%s: score %.3f, windows hit %d missed %d, false positives %d", f.Name, f.Score, f.WindowsHit, f.WindowsMissed, f.FP)
	}
	if f := res.Files[0]; f.WindowsHit != 1 || f.FP > 2 {
		t.Errorf("%s: %d windows hit, %d false positives at the default threshold; want 1 and at most 2", f.Name, f.WindowsHit, f.FP)
	}
}

// TestNAB replays the whole corpus with the default configuration and scores it for the
// three profiles (with -nab.full).
func TestNAB(t *testing.T) {
	if !*full {
		t.Skip("the full NAB run takes about a minute: run with -nab.full")
	}
	c := MustCorpus(t)
	cfg := stream.DefaultConfig()
	start := time.Now()
	scores, err := CorpusScores(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	t.Logf("replayed %d series, %d events in %v (%.1f µs/event, %s, GOMAXPROCS %d)", len(c.Series), c.NumRows(),
		elapsed.Round(time.Millisecond), float64(elapsed.Microseconds())/float64(c.NumRows()), runtime.Version(), runtime.GOMAXPROCS(0))
	if *outDir != "" {
		for _, s := range c.Series {
			if err := nab.WriteResults(*outDir, Detector, s, scores[s.Name]); err != nil {
				t.Fatal(err)
			}
		}
	}
	sc := nab.NewScorer(c)
	for _, p := range nab.DefaultProfiles() {
		res, err := sc.Score(scores, p)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-18s %6.2f  (threshold %.4f, windows hit %d missed %d, false-positive rows %d)",
			p.Name, res.Normalized, res.Threshold, res.WindowsHit, res.WindowsMissed, res.FP)
		at, err := sc.ScoreAtThreshold(scores, p, cfg.AnomalyThreshold/100)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-18s %6.2f  at the default threshold %.2f", "", at.Normalized, cfg.AnomalyThreshold/100)
		if p.Name == "standard" && res.Normalized < *minStd {
			t.Errorf("standard profile score %.2f, want >= %.2f", res.Normalized, *minStd)
		}
	}
}
