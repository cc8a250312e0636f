package nab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
)

// Profile is one of NAB's application profiles: the weights of its cost
// matrix.
type Profile struct {
	// Name is the profile's name in profiles.json, "standard".
	Name string

	// TPWeight is what detecting a window at its first row earns.
	TPWeight float64
	// FPWeight scales the cost of a detection outside windows.
	FPWeight float64
	// FNWeight is what a window with no detection costs.
	FNWeight float64
	// TNWeight is in NAB's profiles but unused by its scorer, and here.
	TNWeight float64
}

// DefaultProfiles returns NAB v1.1's three profiles, as in its
// config/profiles.json: standard (A_TP 1, A_FP 0.11, A_FN 1),
// reward_low_FP_rate (A_FP 0.22) and reward_low_FN_rate (A_FN 2).
func DefaultProfiles() []Profile {
	return []Profile{
		{Name: "standard", TPWeight: 1, FPWeight: 0.11, FNWeight: 1, TNWeight: 1},
		{Name: "reward_low_FP_rate", TPWeight: 1, FPWeight: 0.22, FNWeight: 1, TNWeight: 1},
		{Name: "reward_low_FN_rate", TPWeight: 1, FPWeight: 0.11, FNWeight: 2, TNWeight: 1},
	}
}

// LoadProfiles reads a NAB profiles file, config/profiles.json:
// {"<name>": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight":
// 0.11, "tnWeight": 1.0}}, ...}. Profiles come in file order. Every weight
// must be present and finite.
func LoadProfiles(path string) ([]Profile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load nab profiles: %w", err)
	}
	ps, err := parseProfiles(b)
	if err != nil {
		return nil, fmt.Errorf("load nab profiles %s: %w", path, err)
	}
	return ps, nil
}

func parseProfiles(b []byte) ([]Profile, error) {
	type costMatrix struct {
		TP *float64 `json:"tpWeight"`
		FP *float64 `json:"fpWeight"`
		FN *float64 `json:"fnWeight"`
		TN *float64 `json:"tnWeight"`
	}
	type entry struct {
		CostMatrix *costMatrix
	}
	// Decode token by token to keep the file's order of profiles.
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	var ps []Profile
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		var e entry
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("profile %s: %w", name, err)
		}
		cm := e.CostMatrix
		if cm == nil || cm.TP == nil || cm.FP == nil || cm.FN == nil || cm.TN == nil {
			return nil, fmt.Errorf("profile %s: CostMatrix needs tpWeight, fpWeight, fnWeight and tnWeight", name)
		}
		p := Profile{Name: name, TPWeight: *cm.TP, FPWeight: *cm.FP, FNWeight: *cm.FN, TNWeight: *cm.TN}
		if err := p.validate(); err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		return nil, errors.New("no profile")
	}
	return ps, nil
}

func (p Profile) validate() error {
	for _, w := range [...]struct {
		name string
		v    float64
	}{{"tpWeight", p.TPWeight}, {"fpWeight", p.FPWeight}, {"fnWeight", p.FNWeight}, {"tnWeight", p.TNWeight}} {
		if math.IsNaN(w.v) || math.IsInf(w.v, 0) {
			return fmt.Errorf("profile %s: %s %v is not finite", p.Name, w.name, w.v)
		}
	}
	return nil
}
