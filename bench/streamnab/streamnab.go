// Package streamnab scores the streaming engine (package stream) on the Numenta Anomaly
// Benchmark: every series is replayed event by event through a fresh stream.Analyzer with
// one global configuration, as NAB's rules demand, and the anomaly scores are scored by
// bench/nab for NAB's three profiles.
//
// The anomaly score of a row is Analysis.Scores.Total/100 when the row closes an analysed
// window, and 0 otherwise (while the first window fills, or between strides): exactly
// what a stream session reports for the event. The harness is the test TestNAB, run with
//
//	go test ./bench/streamnab -run TestNAB -nab.full -v
//
// (-nab.out DIR also writes NAB's results files). The data is read from
// ../../../shared/data/nab, or from $TOPOFORGE_NAB_DATA.
package streamnab

import (
	"fmt"

	"github.com/topoforge/topoforge/bench/nab"
	"github.com/topoforge/topoforge/stream"
)

// Detector is the detector name of the results files.
const Detector = "topoforge"

// SeriesScores replays the values of s through a new Analyzer configured with cfg and
// returns one anomaly score in [0, 1] per row. It returns an error for an invalid cfg or
// a value the Analyzer rejects.
func SeriesScores(s *nab.Series, cfg stream.Config) ([]float64, error) {
	a, err := stream.NewAnalyzer(cfg)
	if err != nil {
		return nil, fmt.Errorf("replay %s: %w", s.Name, err)
	}
	scores := make([]float64, len(s.Values))
	p := []float64{0}
	for i, v := range s.Values {
		p[0] = v
		res, ok, err := a.Push(p)
		if err != nil {
			return nil, fmt.Errorf("replay %s row %d: %w", s.Name, i, err)
		}
		if ok {
			scores[i] = res.Scores.Total / 100
		}
	}
	return scores, nil
}

// CorpusScores returns the anomaly scores of every series of c, by series name, as
// SeriesScores computes them.
func CorpusScores(c *nab.Corpus, cfg stream.Config) (map[string][]float64, error) {
	out := make(map[string][]float64, len(c.Series))
	for _, s := range c.Series {
		sc, err := SeriesScores(s, cfg)
		if err != nil {
			return nil, err
		}
		out[s.Name] = sc
	}
	return out, nil
}
