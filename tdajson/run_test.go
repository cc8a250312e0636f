package tdajson

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/topoforge/topoforge/jsonw"
)

func TestRunInputErrors(t *testing.T) {
	f := func(name, in string, cfg Config) {
		t.Helper()
		var out bytes.Buffer
		err := cfg.Run(strings.NewReader(in), &out)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("%s: error = %v, want *InputError", name, err)
			return
		}
		if out.Len() != 0 {
			t.Errorf("%s: wrote %q on error", name, out.String())
		}
	}
	f("ErrMalformed", `{"points": [[0, 1], [2`, Config{})
	f("ErrNaNToken", `{"points": [[0, NaN]]}`, Config{})
	f("ErrOverflow", `{"points": [[0, 1e999]]}`, Config{})
	f("ErrRagged", `{"points": [[0, 1], [2]]}`, Config{})
	f("ErrNoCoordinates", `{"points": [[]]}`, Config{})
	f("ErrNoPoints", `{"points": []}`, Config{})
	f("ErrNothing", `{"max_dim": 1}`, Config{})
	f("ErrBoth", `{"points": [[0]], "series": [1, 2]}`, Config{})
	f("ErrUnknownField", `{"points": [[0]], "maxdim": 1}`, Config{})
	f("ErrTrailing", `{"points": [[0]]} {}`, Config{})
	f("ErrMaxDim", `{"points": [[0]], "max_dim": 3}`, Config{})
	f("ErrMaxEdge", `{"points": [[0]], "max_edge": -1}`, Config{})
	f("ErrTooManyPoints", `{"points": [[0], [1], [2]]}`, Config{MaxPoints: 2})
	f("ErrTooManyPointsH2", `{"points": [[0], [1], [2]], "max_dim": 2}`, Config{MaxPointsH2: 2})
	f("ErrTooLarge", `{"points": [[0], [1], [2]]}`, Config{MaxInputBytes: 10})
	f("ErrDim", `{"series": [1, 2, 3], "dim": 0, "delay": 1}`, Config{})
	f("ErrShortSeries", `{"series": [1, 2, 3], "dim": 3, "delay": 2}`, Config{})
	f("ErrWindow", `{"series": [1, 2, 3], "dim": 1, "delay": 1, "window": 4}`, Config{})
	f("ErrStride", `{"points": [[0]], "stride": 2}`, Config{})
	f("ErrTooManyWindows", `{"series": [1, 2, 3, 4], "dim": 1, "delay": 1, "window": 2}`, Config{MaxWindows: 2})
	f("ErrRange", `{"points": [[0]], "landscape_range": [2, 1]}`, Config{})
	f("ErrRangeLength", `{"points": [[0]], "landscape_range": [1, 2, 3]}`, Config{})
	f("ErrRangeKey", `{"points": [[0]], "landscape_range": {"x": [0, 1]}}`, Config{})
}

func TestRunOK(t *testing.T) {
	f := func(name, in string, check func(m map[string]any) bool) {
		t.Helper()
		var out bytes.Buffer
		if err := Run(strings.NewReader(in), &out); err != nil {
			t.Errorf("%s: Run: %v", name, err)
			return
		}
		var m map[string]any
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Errorf("%s: output %q is not JSON: %v", name, out.String(), err)
			return
		}
		if !check(m) {
			t.Errorf("%s: unexpected output %s", name, out.String())
		}
	}
	f("OKTwoPoints", `{"points": [[0, 0], [3, 0]], "max_dim": 1, "epsilon": 0.1, "betti_at": [1]}`,
		func(m map[string]any) bool {
			d := m["diagrams"].(map[string]any)["0"].([]any)
			return len(d) == 2 && d[1].([]any)[1] == nil && m["num_simplices"] == 3.0
		})
	f("OKDefaultMaxDim", `{"points": [[0], [1]]}`, func(m map[string]any) bool {
		return m["max_dim"] == 1.0 && len(m["diagrams"].(map[string]any)) == 2
	})
	f("OKPointWindows", `{"points": [[0], [1], [3], [6]], "window": 3, "stride": 1, "max_dim": 0}`,
		func(m map[string]any) bool {
			ws := m["windows"].([]any)
			return len(ws) == 2 && ws[0].(map[string]any)["bottleneck_prev"] == nil &&
				ws[1].(map[string]any)["bottleneck_prev"].(map[string]any)["0"] == 1.0
		})
}

func TestAppendFloat(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{{0, "0"}, {3, "3"}, {0.1, "0.1"}, {1e-7, "1e-7"}, {2e-7, "2e-7"}, {1.5e-10, "1.5e-10"},
		{200000, "200000"}, {1e21, "1e+21"}, {-0.030303030303030276, "-0.030303030303030276"}} {
		if got := string(jsonw.Float(nil, c.x)); got != c.want {
			t.Errorf("appendFloat(%v) = %s, want %s", c.x, got, c.want)
		}
	}
}
