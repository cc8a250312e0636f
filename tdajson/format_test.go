package tdajson

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*_golden.json from the current output")

// TestFormatGolden pins the exact bytes of our output (field order, number formatting) for
// small inputs. Run with -update after a deliberate format change.
func TestFormatGolden(t *testing.T) {
	cases := map[string]string{
		"square":         `{"name": "square", "description": "unit square, max_edge 1.2", "points": [[0, 0], [1, 0], [1, 1], [0, 1]], "max_dim": 1, "max_edge": 1.2, "epsilon": 0.1, "betti_at": [0.5, 1.1]}`,
		"takens_windows": `{"name": "w", "series": [0, 1, 0, -1, 0, 1, 0, -1, 0.5], "dim": 2, "delay": 1, "window": 6, "stride": 3, "max_dim": 1, "epsilon": 0}`,
	}
	for name, in := range cases {
		var out bytes.Buffer
		if err := Run(strings.NewReader(in), &out); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		path := filepath.Join("testdata", name+"_golden.json")
		if *update {
			if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v (run go test -update to create it)", name, err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%s: output differs from %s:\ngot  %s\nwant %s", name, path, out.Bytes(), want)
		}
	}
}
