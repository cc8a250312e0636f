package detect

import (
	"fmt"
	"strconv"
	"strings"
)

// maxMembers bounds the members of an Ensemble (and keeps its single-row
// scoring on the stack).
const maxMembers = 16

// Defaults of the Ensemble algorithm, TopoForge's recommended default
// detector: the maximum of the calibrated scores of IsolationForest, KNN,
// HBOS and EllipticEnvelope had the best mean ROC-AUC (0.885; 0.884 since EllipticEnvelope draws
// scikit-learn's random subsets) of all
// ensembles of up to five members on the 19 ODDS sets (bench/RESULTS.md,
// "Recommended default").
const (
	// DefaultEnsembleMembers lists the default members.
	DefaultEnsembleMembers = "IsolationForest,KNN,HBOS,EllipticEnvelope"
	// DefaultEnsembleCombination is the default combination strategy.
	DefaultEnsembleCombination = CombineMax
)

func ensembleDef() algoDef {
	return algoDef{
		info: AlgorithmInfo{
			Name:     "Ensemble",
			Category: "ensemble",
			Description: "Combination of several algorithms fitted on the same rows: each member's score is calibrated to " +
				"its training CDF (anomaly_score) and the member scores are combined (see detect.Combine). The default " +
				"members are the recommended default detector.",
			Parameters: withCommon(map[string]ParamSpec{
				"members": {Type: TypeString, Default: DefaultEnsembleMembers,
					Description: "Comma-separated algorithm names (2 to 16, default parameters each; random_state and contamination are shared)"},
				"combination": {Type: TypeString, Default: DefaultEnsembleCombination, Enum: Strategies(),
					Description: "How member anomaly scores combine"},
				"weights": {Type: TypeString, Default: "",
					Description: "Comma-separated non-negative member weights, one per member (required for weighted)"},
				"random_state": randomStateSpec(),
			}),
			Complexity:  "sum of the members'",
			Scalability: "that of the slowest member",
		},
		aliases:  []string{"Recommended"},
		check:    checkEnsemble,
		newModel: func(p params) model { return newEnsemble(p) },
	}
}

// ensembleSpec parses the member names and weights of an Ensemble.
func ensembleSpec(p params) ([]algoDef, []float64, error) {
	var defs []algoDef
	for _, name := range strings.Split(p.s("members"), ",") {
		def, err := lookup(strings.TrimSpace(name))
		if err != nil {
			return nil, nil, &ParamError{Field: "members", Issue: err.Error()}
		}
		if def.info.Name == "Ensemble" {
			return nil, nil, &ParamError{Field: "members", Issue: "An Ensemble cannot contain an Ensemble"}
		}
		defs = append(defs, def)
	}
	if len(defs) < 2 || len(defs) > maxMembers {
		return nil, nil, &ParamError{Field: "members", Issue: fmt.Sprintf("Need 2 to %d members, got %d", maxMembers, len(defs))}
	}
	var weights []float64
	if w := strings.TrimSpace(p.s("weights")); w != "" {
		for _, f := range strings.Split(w, ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil {
				return nil, nil, &ParamError{Field: "weights", Issue: fmt.Sprintf("Not a number: %q", f)}
			}
			weights = append(weights, v)
		}
	}
	if err := checkStrategy(p.s("combination"), weights, len(defs)); err != nil {
		return nil, nil, err
	}
	return defs, weights, nil
}

func checkEnsemble(p params) error {
	_, _, err := ensembleSpec(p)
	return err
}

// memberParams returns the default parameters of def with the ensemble's
// shared random_state and contamination.
func memberParams(def algoDef, p params) params {
	given := map[string]any{"contamination": p.f("contamination")}
	if _, ok := def.info.Parameters["random_state"]; ok {
		given["random_state"] = p.i("random_state")
	}
	mp, _ := validateParams(def.info.Name, def.info.Parameters, given)
	return mp
}

// ensemble combines calibrated member scores.
type ensemble struct {
	strategy      string
	weights       []float64
	contamination float64
	members       []model
	cals          []calibration
}

func newEnsemble(p params) *ensemble {
	defs, weights, _ := ensembleSpec(p) // validated by New and Load
	e := &ensemble{strategy: p.s("combination"), weights: weights, contamination: p.f("contamination")}
	for _, def := range defs {
		e.members = append(e.members, def.newModel(memberParams(def, p)))
	}
	e.cals = make([]calibration, len(e.members))
	return e
}

func (e *ensemble) fit(x []float64, n, d int, train []float64) error {
	m := len(e.members)
	q := make([][]float64, m)
	f := make([][]bool, m)
	for k, mem := range e.members {
		s := make([]float64, n)
		if err := mem.fit(x, n, d, s); err != nil {
			return fmt.Errorf("member %d: %w", k, err)
		}
		e.cals[k] = fitCalibration(s, e.contamination)
		q[k] = s
		f[k] = make([]bool, n)
		for i, v := range s {
			q[k][i] = e.cals[k].anomalyScore(v)
			f[k][i] = v > e.cals[k].threshold
		}
	}
	var qr [maxMembers]float64
	var fr [maxMembers]bool
	for i := 0; i < n; i++ {
		for k := 0; k < m; k++ {
			qr[k], fr[k] = q[k][i], f[k][i]
		}
		train[i], _, _ = combineRow(e.strategy, qr[:m], fr[:m], e.weights)
	}
	return nil
}

func (e *ensemble) score(x []float64) float64 {
	var qr [maxMembers]float64
	var fr [maxMembers]bool
	m := len(e.members)
	for k, mem := range e.members {
		s := mem.score(x)
		qr[k] = e.cals[k].anomalyScore(s)
		fr[k] = s > e.cals[k].threshold
	}
	v, _, _ := combineRow(e.strategy, qr[:m], fr[:m], e.weights)
	return v
}

func (e *ensemble) encode(enc *encoder) {
	enc.int(len(e.members))
	for k, mem := range e.members {
		e.cals[k].encodeTo(enc)
		mem.encode(enc)
	}
}

func (e *ensemble) decode(d *decoder, nfeat int) {
	if n := d.int(); d.err == nil && n != len(e.members) {
		d.fail("ensemble has %d members, want %d", n, len(e.members))
		return
	}
	for k, mem := range e.members {
		e.cals[k] = decodeCalibration(d)
		if d.err != nil {
			return
		}
		mem.decode(d, nfeat)
	}
}
