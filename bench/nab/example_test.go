package nab_test

import (
	"fmt"
	"time"

	"github.com/topoforge/topoforge/bench/nab"
)

// A detector that fires at the start of the only window scores 100.
func ExampleScorer_Score() {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &nab.Series{Name: "demo/a.csv"}
	for i := range 100 {
		s.Timestamps = append(s.Timestamps, t0.Add(time.Duration(i)*time.Hour))
		s.Values = append(s.Values, float64(i%24))
	}
	s.Windows = []nab.Window{{Start: s.Timestamps[60], End: s.Timestamps[69]}}
	corpus, err := nab.NewCorpus([]*nab.Series{s})
	if err != nil {
		panic(err)
	}

	scores := make([]float64, 100)
	scores[60] = 0.9 // the window's first row
	scores[80] = 0.4 // a false alarm

	sc := nab.NewScorer(corpus)
	for _, p := range nab.DefaultProfiles() {
		res, err := sc.Score(map[string][]float64{"demo/a.csv": scores}, p)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: threshold %v, raw %.2f, normalised %.1f\n", p.Name, res.Threshold, res.Score, res.Normalized)
	}
	// Output:
	// standard: threshold 0.9, raw 1.00, normalised 100.0
	// reward_low_FP_rate: threshold 0.9, raw 1.00, normalised 100.0
	// reward_low_FN_rate: threshold 0.9, raw 1.00, normalised 100.0
}
