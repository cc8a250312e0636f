package detect

import (
	"fmt"
	"strings"
)

// AlgorithmInfo describes one algorithm of the catalogue. It is the JSON
// element of GET /api/v1/detectors/algorithms.
type AlgorithmInfo struct {
	Name        string               `json:"name"`
	Category    string               `json:"category"`
	Description string               `json:"description"`
	Parameters  map[string]ParamSpec `json:"parameters"`
	Complexity  string               `json:"complexity"`
	Scalability string               `json:"scalability"`
}

// model is implemented by every algorithm. Rows are row-major encoded feature
// vectors of width d (see Detector.FeatureNames).
type model interface {
	// fit learns from the n×d rows in x and writes the training score of
	// every row into train (len n): the score Score would give for the row,
	// except for neighbour methods, which leave the row itself out.
	fit(x []float64, n, d int, train []float64) error
	// score returns the anomaly score of one row (len d); larger is more
	// anomalous. It does not allocate and is safe for concurrent use.
	score(x []float64) float64
	// encode appends the fitted state; decode restores it.
	encode(e *encoder)
	decode(d *decoder, nfeat int)
}

// algoDef binds an algorithm's catalogue entry to its constructor.
type algoDef struct {
	info     AlgorithmInfo
	aliases  []string
	newModel func(p params) model
	check    func(p params) error // optional cross-parameter validation
}

// contaminationSpec is the parameter every algorithm shares.
func contaminationSpec() ParamSpec {
	return ParamSpec{Type: TypeFloat, Default: 0.1, Min: fp(0), Max: fp(0.5),
		Description: "Expected proportion of outliers; the anomaly threshold is the (1 - contamination) quantile of the training scores"}
}

func randomStateSpec() ParamSpec {
	return ParamSpec{Type: TypeInteger, Default: 42, Min: fp(0), Max: fp(1<<31 - 1),
		Description: "Seed of the random generator; a fixed seed gives identical models on every platform"}
}

// withCommon adds contamination to an algorithm's parameter specs.
func withCommon(specs map[string]ParamSpec) map[string]ParamSpec {
	specs["contamination"] = contaminationSpec()
	return specs
}

// algorithms returns the registry, built afresh on each call so that callers
// can never change it.
func algorithms() []algoDef {
	return []algoDef{
		iforestDef(),
		lofDef(),
		knnDef(),
		hbosDef(),
		ecodDef(),
		copodDef(),
		pcaDef(),
		ellipticDef(),
		ocsvmDef(),
		lodaDef(),
		hstDef(),
		zscoreDef(false),
		zscoreDef(true),
		ensembleDef(),
	}
}

// Catalogue returns the description of every algorithm New accepts, in a
// fixed order. The result is the caller's to keep or modify.
func Catalogue() []AlgorithmInfo {
	defs := algorithms()
	out := make([]AlgorithmInfo, len(defs))
	for i, d := range defs {
		out[i] = d.info
	}
	return out
}

// lookup finds an algorithm by exact name, then by case-insensitive name or
// alias.
func lookup(name string) (algoDef, error) {
	defs := algorithms()
	for _, d := range defs {
		if d.info.Name == name {
			return d, nil
		}
	}
	for _, d := range defs {
		if strings.EqualFold(d.info.Name, name) {
			return d, nil
		}
		for _, a := range d.aliases {
			if strings.EqualFold(a, name) {
				return d, nil
			}
		}
	}
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.info.Name
	}
	return algoDef{}, fmt.Errorf("unknown algorithm %q; known: %s", name, strings.Join(names, ", "))
}
