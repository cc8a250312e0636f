package tdajson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Tolerances of the golden comparison.
const (
	// tol is relative to the case's scale, its largest finite death: diagram endpoints,
	// lifetimes, landscapes and distances between diagrams are lengths, computed from the
	// same float64 pairwise distances as GUDHI's; only summation order differs (numpy and
	// POT sum in other orders), which moves the last few bits. Scaling keeps the test
	// meaningful for large_coords (1e6) and small_coords (1e-6).
	tol = 1e-9
	// entropyTol is absolute: entropy is dimensionless (at most ln of the bar count).
	entropyTol = 1e-9
)

var goldenDir = filepath.Join("..", "..", "shared", "testdata", "tda")

// countFields hold integers that must match exactly.
var countFields = map[string]bool{
	"n_points": true, "ambient_dim": true, "max_dim": true, "num_simplices": true,
	"betti_at_max_edge": true, "betti": true, "bars_over_epsilon": true,
	"num_landscapes": true, "resolution": true, "start": true, "window": true,
	"stride": true, "dim": true, "delay": true,
}

func goldenCases(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(goldenDir, "*.input.json"))
	if err != nil || len(names) == 0 {
		t.Skipf("golden vectors not found in %s (shared/ must sit beside the repository)", goldenDir)
	}
	for i, n := range names {
		names[i] = strings.TrimSuffix(filepath.Base(n), ".input.json")
	}
	return names
}

func TestGolden(t *testing.T) {
	for i, name := range goldenCases(t) {
		t.Run(name, func(t *testing.T) {
			in, err := os.Open(filepath.Join(goldenDir, name+".input.json"))
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			var out bytes.Buffer
			if err := Run(in, &out); err != nil {
				t.Fatalf("%d: Run: %v", i, err)
			}
			var got, want any
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("%d: output is not JSON: %v", i, err)
			}
			b, err := os.ReadFile(filepath.Join(goldenDir, name+".expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			c := comparer{scale: caseScale(t, b)}
			c.compare("", "", got, want)
			for _, e := range c.errs {
				t.Errorf("%d: %s", i, e)
			}
		})
	}
}

type comparer struct {
	scale float64
	errs  []string
}

func (c *comparer) errorf(format string, args ...any) {
	if len(c.errs) < 20 {
		c.errs = append(c.errs, fmt.Sprintf(format, args...))
	}
}

// compare walks want and checks got against it; field is the nearest object key.
func (c *comparer) compare(path, field string, got, want any) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			c.errorf("%s = %v, want an object", path, got)
			return
		}
		for k, wv := range w {
			if path == "" && k == "oracle" {
				continue // describes the reference library
			}
			gv, ok := g[k]
			if !ok {
				c.errorf("%s.%s missing", path, k)
				continue
			}
			f := k
			if strings.IndexFunc(k, func(r rune) bool { return r < '0' || r > '9' }) < 0 || k == "all" {
				f = field // "0", "1", "all": keep the enclosing field name
			}
			c.compare(path+"."+k, f, gv, wv)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				c.errorf("%s.%s not in the expected file", path, k)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			c.errorf("%s: got %d values, want %d", path, lenOf(got), len(w))
			return
		}
		for i := range w {
			c.compare(fmt.Sprintf("%s[%d]", path, i), field, g[i], w[i])
		}
	case float64:
		g, ok := got.(float64)
		if !ok {
			c.errorf("%s = %v, want %v", path, got, w)
			return
		}
		lim := tol * c.scale
		switch {
		case countFields[field]:
			lim = 0
		case field == "entropy":
			lim = entropyTol
		}
		if math.Abs(g-w) > lim {
			c.errorf("%s = %v, want %v (tolerance %g)", path, g, w, lim)
		}
	default: // strings, null, booleans
		if got != want {
			c.errorf("%s = %v, want %v", path, got, want)
		}
	}
}

func lenOf(v any) int {
	if a, ok := v.([]any); ok {
		return len(a)
	}
	return -1
}

// caseScale returns the largest finite death in the expected diagrams of a case.
func caseScale(t *testing.T, expected []byte) float64 {
	type diagrams map[string][][2]*float64
	var e struct {
		Diagrams diagrams `json:"diagrams"`
		Windows  []struct {
			Diagrams diagrams `json:"diagrams"`
		} `json:"windows"`
	}
	if err := json.Unmarshal(expected, &e); err != nil {
		t.Fatal(err)
	}
	all := []diagrams{e.Diagrams}
	for _, w := range e.Windows {
		all = append(all, w.Diagrams)
	}
	s := 1e-300
	for _, d := range all {
		for _, bars := range d {
			for _, b := range bars {
				if b[1] != nil {
					s = max(s, *b[1])
				}
			}
		}
	}
	return s
}
