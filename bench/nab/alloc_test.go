//go:build !race

package nab

import "testing"

// TestScorerAllocs holds a warm Scorer to one allocation per call: the
// Result's Files.
func TestScorerAllocs(t *testing.T) {
	c, scores := syntheticCorpus(t, 4, 2000, 2)
	sc := NewScorer(c)
	p := DefaultProfiles()[0]
	if _, err := sc.Score(scores, p); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(10, func() { _, _ = sc.Score(scores, p) }); n != 1 {
		t.Errorf("Score allocations = %v, want 1", n)
	}
	if n := testing.AllocsPerRun(10, func() { _, _ = sc.ScoreAtThreshold(scores, p, 0.5) }); n != 1 {
		t.Errorf("ScoreAtThreshold allocations = %v, want 1", n)
	}
}
