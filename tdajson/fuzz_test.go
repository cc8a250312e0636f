package tdajson

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fuzzConfig keeps each fuzz input cheap to compute.
var fuzzConfig = Config{MaxPoints: 40, MaxPointsH2: 12, MaxWindows: 20, MaxInputBytes: 1 << 16}

// FuzzRun feeds arbitrary documents to Run: it must return nil or an *InputError, never
// panic, and write valid JSON when it succeeds. The seeds are small realistic inputs and
// the golden inputs when shared/ is present.
func FuzzRun(f *testing.F) {
	for _, s := range []string{
		`{"points": [[0, 0], [3, 0]], "max_dim": 1, "max_edge": null, "epsilon": 0.1, "betti_at": [0.5, 2.0]}`,
		`{"points": [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], "max_dim": 2, "epsilon": 0.2}`,
		`{"points": [[0, 0], [1, 0], [1, 1], [0, 1]], "max_dim": 1, "max_edge": 1.2, "landscape_range": {"1": [0, 2]}}`,
		`{"series": [1, 3, 2, 5, 4, 6, 5, 8, 7, 9], "dim": 2, "delay": 2, "max_dim": 1, "landscape_range": [0, 3]}`,
		`{"series": [1, 3, 2, 5, 4, 6, 5, 8, 7, 9, 8, 10], "dim": 2, "delay": 1, "window": 6, "stride": 3, "max_dim": 1}`,
		`{"points": [[0], [1], [3], [6]], "window": 3, "max_dim": 0, "epsilon": 0.5}`,
		`{"points": [[1, 1], [1, 1], [1, 1]], "max_dim": 1}`,
		`{"points": [[0, 1], [2]]}`,
		`{"points": [[0, 1e308], [0, -1e308]]}`,
		`[]`, `null`, `{}`, ``,
	} {
		f.Add([]byte(s))
	}
	names, _ := filepath.Glob(filepath.Join(goldenDir, "*.input.json"))
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		err := fuzzConfig.Run(bytes.NewReader(data), &out)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Run(%q) = %v, want nil or *InputError", data, err)
			}
			return
		}
		if !json.Valid(out.Bytes()) {
			t.Fatalf("Run(%q) wrote invalid JSON %q", data, out.Bytes())
		}
	})
}
