// Package nab loads the corpus of the Numenta Anomaly Benchmark (NAB) and
// scores anomaly detectors on it exactly as NAB v1.1 does, so that a
// TopoForge detector gets a number comparable with NAB's scoreboard.
//
// NAB is described in Lavin & Ahmad (2015), "Evaluating Real-time Anomaly
// Detection Algorithms – the Numenta Anomaly Benchmark", arXiv:1510.03336,
// and Ahmad, Lavin, Purdy & Agha (2017), "Unsupervised real-time anomaly
// detection for streaming data", Neurocomputing 262,
// doi:10.1016/j.neucom.2017.04.070. The rules below follow the sweeper,
// optimizer and runner of github.com/numenta/NAB at commit ea702d75
// (NAB v1.1 code, corpus and labels v1.0, MIT licence); no NAB code is
// copied here.
//
// # Corpus
//
// LoadCorpus reads a NAB checkout laid out as NAB ships it: data/<category>/
// <name>.csv (58 series of timestamp,value rows, 365,558 rows in all),
// labels/combined_windows.json (116 anomaly windows) and
// labels/combined_labels.json (the raw labelled anomaly timestamps). A
// series is named by its path below data/, "realKnownCause/nyc_taxi.csv",
// and the corpus lists series sorted by name.
//
// # Results files
//
// A detector's output for one series is NAB's results file
// DIR/<detector>/<category>/<detector>_<name>.csv with the columns
// timestamp,value,anomaly_score,label and one row per input row, where label
// is 1 inside an anomaly window (WriteResults, ReadResults). Anomaly scores
// must lie in [0, 1], as NAB's detector base class demands.
//
// # Scoring rules
//
// For a series of n rows, the first ProbationaryLength(n) = min(⌊0.15·n⌋, 750)
// rows are not scored. A row whose anomaly score is at or above the
// threshold is a detection. Inside a window of width W rows ending at row R,
// a detection at row i is worth
//
//	A_TP · σ(−(R−i+1)/W) / σ(−1),   σ(x) = 2/(1+e^{5x}) − 1 (ScaledSigmoid),
//
// so a detection at the window's first row earns exactly A_TP and one at its
// last row earns σ(−1/W)/σ(−1) · A_TP; only the best (earliest) detection of
// a window counts and a window with no detection costs −A_FN. Every
// detection outside windows costs A_FP · σ(d), where d = (i−R')/(W'−1) is its
// distance past the end R' of the preceding window of width W' (σ(d) = −1
// when there is no preceding window or d > 3). The raw score of a corpus is
// the sum over all series. One threshold per detector and profile is
// optimised over the whole corpus at once: Score tries every distinct
// anomaly score (and 1.1, "never fire") and keeps the best, the first one
// from the top on ties, exactly as NAB's optimizer. The normalised score is
// 100·(S − S_null)/(S_perfect − S_null), where S_null = −A_FN per scored
// window is the score of a detector that never fires and S_perfect = A_TP per
// window. The three profiles (DefaultProfiles, LoadProfiles) weigh A_TP,
// A_FP and A_FN differently.
//
// Scoring NAB's published windowedGaussian results files reproduces their
// published normalised scores (standard 39.65) to within 1e-9; see
// bench/RESULTS.md.
//
// # Example
//
//	corpus, err := nab.LoadCorpus("/data/nab")
//	...
//	scores := map[string][]float64{} // anomaly score per row, by series name
//	for _, s := range corpus.Series {
//		scores[s.Name] = detect(s.Values)
//	}
//	sc := nab.NewScorer(corpus) // reuse it across a tuning loop
//	for _, p := range nab.DefaultProfiles() {
//		res, err := sc.Score(scores, p)
//		...
//		fmt.Printf("%s: %.2f at threshold %g\n", p.Name, res.Normalized, res.Threshold)
//	}
//
// # Concurrency
//
// A Corpus, its Series and Profiles are read-only once built and may be
// shared by any number of goroutines. A Scorer keeps a workspace between
// calls and must be used by one goroutine at a time; the package functions
// Score and ScoreAtThreshold build their own and are safe for concurrent use.
package nab
