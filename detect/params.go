package detect

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Parameter types used in ParamSpec.Type.
const (
	TypeFloat   = "float"
	TypeInteger = "integer"
	TypeString  = "string"
	TypeBool    = "bool"
)

// ParamSpec describes one algorithm parameter: its type, default and valid
// range. Min and Max are nil when the parameter has no such bound; a float
// bound is exclusive when MinExclusive is set. String parameters list their
// allowed values in Enum.
type ParamSpec struct {
	Type         string   `json:"type"`
	Default      any      `json:"default"`
	Min          *float64 `json:"min,omitempty"`
	Max          *float64 `json:"max,omitempty"`
	MinExclusive bool     `json:"min_exclusive,omitempty"`
	Enum         []string `json:"enum,omitempty"`
	Description  string   `json:"description"`
}

// ParamError is returned by New (and Load) when a parameter is unknown, of
// the wrong type or out of range. Field names the parameter and Issue says
// what is allowed, e.g. "Value must be between 0 and 0.5".
type ParamError struct {
	Field string
	Issue string
}

// Error implements error.
func (e *ParamError) Error() string {
	return fmt.Sprintf("invalid parameter %s: %s", e.Field, e.Issue)
}

// params holds validated parameter values with defaults filled in. Values are
// float64, int, string or bool according to the spec type.
type params map[string]any

func (p params) f(name string) float64 { return p[name].(float64) }
func (p params) i(name string) int     { return p[name].(int) }
func (p params) s(name string) string  { return p[name].(string) }

// keys returns the parameter names in sorted order.
func (p params) keys() []string {
	k := make([]string, 0, len(p))
	for name := range p {
		k = append(k, name)
	}
	sort.Strings(k)
	return k
}

// clone returns a copy that callers may modify.
func (p params) clone() map[string]any {
	m := make(map[string]any, len(p))
	for k, v := range p {
		m[k] = v
	}
	return m
}

func fp(v float64) *float64 { return &v }

// fmtBound formats a bound the way the catalogue shows it.
func fmtBound(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// validateParams checks every given value against specs and fills defaults.
func validateParams(algorithm string, specs map[string]ParamSpec, given map[string]any) (params, error) {
	out := make(params, len(specs))
	for name, spec := range specs {
		out[name] = spec.Default
	}
	names := make([]string, 0, len(given))
	for name := range given {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		spec, ok := specs[name]
		if !ok {
			allowed := make([]string, 0, len(specs))
			for k := range specs {
				allowed = append(allowed, k)
			}
			sort.Strings(allowed)
			return nil, &ParamError{Field: name, Issue: fmt.Sprintf("Unknown parameter for %s; allowed: %s", algorithm, strings.Join(allowed, ", "))}
		}
		v, err := coerceParam(name, spec, given[name])
		if err != nil {
			return nil, err
		}
		out[name] = v
	}
	return out, nil
}

// coerceParam converts v to the canonical Go type of spec and checks bounds.
// Numbers may arrive as any Go numeric type, json.Number or a string.
func coerceParam(name string, spec ParamSpec, v any) (any, error) {
	switch spec.Type {
	case TypeString:
		s, ok := v.(string)
		if !ok {
			return nil, &ParamError{Field: name, Issue: "Value must be a string"}
		}
		if len(spec.Enum) > 0 {
			for _, e := range spec.Enum {
				if strings.EqualFold(e, s) {
					return e, nil
				}
			}
			return nil, &ParamError{Field: name, Issue: "Value must be one of " + strings.Join(spec.Enum, ", ")}
		}
		return s, nil
	case TypeBool:
		switch b := v.(type) {
		case bool:
			return b, nil
		case string:
			if p, err := strconv.ParseBool(b); err == nil {
				return p, nil
			}
		}
		return nil, &ParamError{Field: name, Issue: "Value must be true or false"}
	}
	f, ok := paramNumber(v)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, &ParamError{Field: name, Issue: "Value must be a finite number"}
	}
	if spec.Type == TypeInteger && f != math.Trunc(f) {
		return nil, &ParamError{Field: name, Issue: "Value must be an integer"}
	}
	lo, hi := spec.Min, spec.Max
	bad := (lo != nil && (f < *lo || spec.MinExclusive && f == *lo)) || (hi != nil && f > *hi)
	if bad {
		var issue string
		switch {
		case lo != nil && hi != nil && spec.MinExclusive:
			issue = fmt.Sprintf("Value must be greater than %s and at most %s", fmtBound(*lo), fmtBound(*hi))
		case lo != nil && hi != nil:
			issue = fmt.Sprintf("Value must be between %s and %s", fmtBound(*lo), fmtBound(*hi))
		case lo != nil && spec.MinExclusive:
			issue = fmt.Sprintf("Value must be greater than %s", fmtBound(*lo))
		case lo != nil:
			issue = fmt.Sprintf("Value must be at least %s", fmtBound(*lo))
		default:
			issue = fmt.Sprintf("Value must be at most %s", fmtBound(*hi))
		}
		return nil, &ParamError{Field: name, Issue: issue}
	}
	if spec.Type == TypeInteger {
		return int(f), nil
	}
	return f, nil
}

func paramNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// encodeParams writes p sorted by name with a type tag per value.
func encodeParams(e *encoder, p params) {
	keys := p.keys()
	e.int(len(keys))
	for _, k := range keys {
		e.str(k)
		switch v := p[k].(type) {
		case float64:
			e.u8(1)
			e.f64(v)
		case int:
			e.u8(2)
			e.int(v)
		case string:
			e.u8(3)
			e.str(v)
		case bool:
			e.u8(4)
			e.bool(v)
		}
	}
}

func decodeParams(d *decoder) params {
	n := d.count(9)
	p := make(params, n)
	for i := 0; i < n && d.err == nil; i++ {
		k := d.str()
		switch t := d.u8(); t {
		case 1:
			p[k] = d.f64()
		case 2:
			p[k] = d.int()
		case 3:
			p[k] = d.str()
		case 4:
			p[k] = d.bool()
		default:
			d.fail("parameter %s has type tag %d", k, t)
		}
	}
	return p
}
