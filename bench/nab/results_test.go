package nab

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResultsPath(t *testing.T) {
	got := ResultsPath("results", "topoforge", "realKnownCause/nyc_taxi.csv")
	want := filepath.Join("results", "topoforge", "realKnownCause", "topoforge_nyc_taxi.csv")
	if got != want {
		t.Errorf("ResultsPath = %s, want %s", got, want)
	}
}

func TestWriteReadResults(t *testing.T) {
	s := MustSeries(t, "cat/a.csv", 5, [2]int{2, 3})
	s.Values = []float64{10844, -1.00035107164e-05, 0.5, 1e20, 0}
	c := MustCorpus(t, s)
	scores := []float64{0, 1, 0.5, 0.123456789012345678, 1e-7}
	dir := t.TempDir()
	if err := WriteResults(dir, "tf", s, scores); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "tf", "cat", "tf_a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	const want = `timestamp,value,anomaly_score,label
2020-01-01 00:00:00,10844,0,0
2020-01-01 00:01:00,-1.00035107164e-05,1,0
2020-01-01 00:02:00,0.5,0.5,1
2020-01-01 00:03:00,1e+20,0.12345678901234568,1
2020-01-01 00:04:00,0,1e-07,0
`
	if string(b) != want {
		t.Errorf("results file =\n%s\nwant\n%s", b, want)
	}
	got, err := ReadResults(dir, "tf", c)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got["cat/a.csv"] {
		if v != scores[i] {
			t.Errorf("ReadResults row %d = %v, want %v", i, v, scores[i])
		}
	}
	if got := AppendResults([]byte("x"), s, scores); !bytes.Equal(got, append([]byte("x"), want...)) {
		t.Errorf("AppendResults did not append to dst")
	}
}

func TestWriteResultsErrors(t *testing.T) {
	s := MustSeries(t, "cat/a.csv", 3)
	MustCorpus(t, s)
	dir := t.TempDir()
	for _, tc := range []struct {
		name, detector string
		scores         []float64
		wantErr        string
	}{
		{"ErrDetectorEmpty", "", []float64{0, 0, 0}, `bad detector name ""`},
		{"ErrDetectorPath", "a/b", []float64{0, 0, 0}, `bad detector name "a/b"`},
		{"ErrLength", "tf", []float64{0, 0}, "2 scores for 3 rows"},
		{"ErrRange", "tf", []float64{0, math.NaN(), 0}, "NaN at row 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteResults(dir, tc.detector, s, tc.scores)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("WriteResults error = %v, want %q", err, tc.wantErr)
			}
		})
	}
	MustWriteFile(t, dir, "file", "")
	if err := WriteResults(filepath.Join(dir, "file"), "tf", s, []float64{0, 0, 0}); err == nil {
		t.Errorf("WriteResults below a file = nil error")
	}
}

func TestParseResults(t *testing.T) {
	s := MustSeries(t, "cat/a.csv", 2)
	MustCorpus(t, s)
	f := func(text string, want []float64, wantErr string) {
		t.Helper()
		got, err := ParseResults(strings.NewReader(text), s)
		if wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), wantErr) {
				t.Errorf("ParseResults(%q) error = %v, want %q", text, err, wantErr)
			}
			return
		}
		if err != nil || len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("ParseResults(%q) = %v, %v, want %v", text, got, err, want)
		}
	}
	// NAB's published files carry S(t) columns, CRLF and no final newline.
	f("timestamp,value,anomaly_score,label,S(t)_standard\r\n2020-01-01 00:00:00,1,0.25,0,-0.11\r\n2020-01-01 00:01:00,2,1.0,0,0.0", []float64{0.25, 1}, "")
	f("anomaly_score,timestamp\n0.5,2020-01-01 00:00:00\n0.75,2020-01-01 00:01:00\n", []float64{0.5, 0.75}, "")
	f("timestamp,value\n", nil, "lacks timestamp or anomaly_score")
	f("timestamp,anomaly_score\n2020-01-01 00:00:00,0\n", nil, "1 rows, want 2")
	f("timestamp,anomaly_score\n2020-01-01 00:00:00,0\n2020-01-01 00:01:00,0\n2020-01-01 00:02:00,0\n", nil, "line 4: more rows than the series' 2")
	f("timestamp,anomaly_score\n2020-01-01 00:00:00,0\n2020-01-01 00:02:00,0\n", nil, "line 3: timestamp 2020-01-01 00:02:00, want 2020-01-01 00:01:00")
	f("timestamp,anomaly_score\n2020-01-01 00:00:00\n", nil, "line 2: too few fields")
	f("timestamp,anomaly_score\n2020-01-01 00:00:00,x\n", nil, "line 2: anomaly score")
	f("timestamp,anomaly_score\nyesterday,0\n", nil, "line 2: timestamp")
}

// TestWriteResultsNAB writes the corpus with the windowedGaussian scores
// and reads it back unchanged.
func TestWriteResultsNAB(t *testing.T) {
	c, dir := MustLoadCorpus(t)
	scores, err := ReadResults(filepath.Join(dir, "results"), "windowedGaussian", c)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for _, s := range c.Series {
		if err := WriteResults(out, "windowedGaussian", s, scores[s.Name]); err != nil {
			t.Fatal(err)
		}
	}
	back, err := ReadResults(out, "windowedGaussian", c)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Series {
		for i, v := range back[s.Name] {
			if v != scores[s.Name][i] {
				t.Fatalf("%s row %d: read back %v, wrote %v", s.Name, i, v, scores[s.Name][i])
			}
		}
	}
}
