// Package tdajson reads the golden input format of the topology engine, computes it with
// package tda, and writes the golden expected format (see shared/testdata/tda/README.md).
// It is what `topoforge tda < input.json > output.json` runs and what the HTTP layer
// serves at POST /api/v1/tda/persistence.
//
// Three input forms are accepted: a point cloud ("points"), a series to delay-embed
// ("series", "dim", "delay"), and a streaming series cut into windows ("window",
// "stride" added). The output has the expected files' fields, in their order, without
// the "oracle" object: diagrams (death null for infinite bars), betti_at_max_edge,
// betti_at, bars_over_epsilon, entropy and total_lifetime per dimension and "all",
// landscapes (5 landscapes on 100 points), and for streaming inputs the windows with
// bottleneck_prev and wasserstein1_prev.
//
// Input problems — malformed JSON, unknown fields, ragged points, values that are not
// finite, sizes over a Config limit — are reported as *InputError, which callers map to
// exit code 2 or HTTP 422:
//
//	err := tdajson.Config{MaxPoints: 1000}.Run(r, w)
//	var ie *tdajson.InputError
//	if errors.As(err, &ie) {
//		// bad request
//	}
//
// Config, Decode, Compute and AppendResult are safe for concurrent use; each call uses
// its own tda workspace.
package tdajson
