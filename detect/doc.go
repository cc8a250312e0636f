// Package detect holds TopoForge's anomaly-detection algorithms: the models
// that detector actors fit, score with, persist and ship between nodes.
//
// It is pure numerics: no I/O, no goroutines, no package-level state; it
// imports gonum and the standard library only.
//
// # Model contract
//
// A Detector is made by New from an algorithm name of the Catalogue and a
// parameter map validated against the algorithm's schema (a *ParamError
// names a bad field). Fit learns from a Table; Score returns one Result per
// row. Scores are fixed at fit time: a row scores the same alone or in any
// batch, and after MarshalBinary / Load (bit-identical). Larger scores are
// more anomalous. Each Result also carries:
//
//   - AnomalyScore: the empirical CDF of the training scores at the score
//     (fraction of training rows scoring lower), interpolated between 1025
//     stored quantiles;
//   - IsAnomaly: score > Threshold(), the (1 - contamination) quantile of the
//     training scores;
//   - Confidence: 0.5 at the threshold rising linearly, in anomaly_score
//     units, to 1 at anomaly_score 0 (normal rows) or 1 (anomalies);
//   - Explanation and Contributions: the input columns that drive the score,
//     ranked by the model's own per-feature split of the score where it has
//     one (IsolationForest path splits, HBOS, ECOD, COPOD, PCA,
//     EllipticEnvelope, ZScore, MAD) and otherwise by how surprising each
//     value is under the training distribution; each with its direction
//     (high, low, rare, unseen) and its percentile among the training rows
//     ("amount is unusually high (950): above 99.9% of training rows"), and
//     any imputed column.
//
// # Input preparation
//
// Learned at fit, applied at score:
//
//   - a column whose training cells are all numbers or bools (or nil) is
//     numeric; a column with any string is a string column, numbers in it
//     being read as their shortest decimal text;
//   - a string column with at most MaxOneHot distinct values is one-hot
//     encoded, a larger one frequency encoded; an unseen value encodes as
//     all zeros (one-hot) or 0 (frequency): the rarest possible, never an
//     error;
//   - a missing cell (nil) or a column absent at score time is imputed with
//     the training median (the most frequent value for one-hot columns) and
//     the explanation says so; columns unknown at fit time are ignored;
//   - algorithms that need standardisation (PCA, OneClassSVM) or scaling
//     (HalfSpaceTrees) learn it at fit time inside the model.
//
// NaN and ±Inf cells, an unsupported cell type, a row with the wrong number
// of cells, duplicate column names and an empty table are errors that name
// the row and column; nothing in this package panics on bad data. Length
// mismatches in the numeric fast paths (ScoreVector, ScoreBatch, ROCAUC,
// PRAUC, PrecisionRecallF1) are programming errors and panic.
//
// # Fast path
//
// Vector prepares one row into a reused buffer and ScoreVector scores it;
// both are allocation-free (IsolationForest scores a row in about 1.3 µs).
// Calibrate turns the raw score into anomaly_score,
// confidence and the flag without allocating. ScoreBatch scores a
// row-major matrix of prepared vectors.
//
// # Isolation Forest
//
// IsolationForest grows each tree as scikit-learn's IsolationForest does: a
// subsample of max_samples rows drawn without replacement, depth
// ceil(log2(max_samples)), at every split a feature drawn uniformly among the
// non-constant ones and a threshold uniform between its minimum and maximum
// on the node. The forest differs only in how the trees' draws relate: the
// first candidate feature and the threshold of every split of the top eight
// levels (all of them at max_samples 256) are Latin-hypercube stratified
// across the trees, node position by node position, instead of drawn
// independently. Each tree alone keeps scikit-learn's distribution, so the
// expected score of every row is unchanged; the variance of the forest's
// score is never above that of n_estimators - 1 independent trees and is
// lower in practice (by 3-21%, mean 9%, on the ODDS sets; the roots split
// each feature within two trees of n_estimators/d times). Scoring and the
// serialised model are unchanged.
//
// With draws = "sklearn" the forest instead takes scikit-learn's own random
// stream (NumPy's legacy MT19937 RandomState and the tree splitter's rand_r,
// draw for draw: sktree.go): for the same data, parameters and random_state
// it grows the same trees as scikit-learn 1.2's IsolationForest and, since
// its thresholds are compared as scikit-learn compares them (inputs rounded
// to float32), gives the same scores; on every row of the 19 ODDS sets they
// differ by at most 2.2e-16.
//
// # Neighbour methods
//
// LOF and KNN find exact neighbours in O(n·d + n·k) memory: a KD-tree for
// queries, and for the training rows' own neighbours the KD-tree below 16
// features or a blocked brute-force pass from 16 features on. Score
// treats every row as a query against the training rows (scikit-learn's
// novelty mode); FitScore returns the training rows' own scores with each
// row left out of its neighbourhood (scikit-learn's negative_outlier_factor_),
// which is what an unsupervised fit-and-score over one data set wants.
//
// # Online learning and ensembles
//
// HalfSpaceTrees also learns one prepared row at a time with Detector.Learn
// (a streaming detector calls Learn then ScoreVector per event). The
// Ensemble algorithm fits several algorithms on the same rows and combines
// their calibrated scores; its defaults (max of IsolationForest, KNN, HBOS
// and EllipticEnvelope) are the recommended default detector. Combine merges
// the outputs of separately fitted detectors with the same strategies.
//
// # Concurrency
//
// Score, ScoreVector, ScoreBatch, Vector, Calibrate, Threshold, Summary and
// MarshalBinary only read the fitted model and may run concurrently. Fit,
// FitScore and Learn modify it and must not run concurrently with anything
// else.
//
// # Example
//
//	d, err := detect.New("IsolationForest", map[string]any{"contamination": 0.05})
//	if err != nil { ... } // *detect.ParamError for bad parameters
//	train := detect.Table{
//		Columns: []string{"amount", "merchant"},
//		Rows:    [][]any{{12.5, "grocery"}, {80.0, "fuel"}, ...},
//	}
//	if err := d.Fit(train); err != nil { ... }
//	res, err := d.Score(detect.Table{
//		Columns: []string{"merchant", "amount"},
//		Rows:    [][]any{{"jewelry", 10000.0}},
//	})
//	// res[0].IsAnomaly, res[0].AnomalyScore, res[0].Explanation:
//	// "Anomalous: ... amount is unusually high (10000): above all training rows (maximum 95); merchant = "jewelry" was never seen in training"
//	b, _ := d.MarshalBinary() // persist; detect.Load(b) scores identically
package detect
