package nab

import (
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// resultsHeader is the header of the results files WriteResults writes.
const resultsHeader = "timestamp,value,anomaly_score,label\n"

// ResultsPath returns where NAB keeps detector's results for the series
// called name: dir/<detector>/<category>/<detector>_<file> for name
// "<category>/<file>".
func ResultsPath(dir, detector, name string) string {
	category, file := path.Split(name)
	return filepath.Join(dir, detector, category, detector+"_"+file)
}

// AppendResults appends NAB's results file for series s and its anomaly
// scores to dst and returns it: the header timestamp,value,anomaly_score,label
// and one row per row of s, where label is s.Label(i), 1 inside a window.
// Numbers are written in the shortest form that reads back exactly. It
// panics if len(scores) != s.Len().
func AppendResults(dst []byte, s *Series, scores []float64) []byte {
	if len(scores) != s.Len() {
		panic("nab: AppendResults: len(scores) != s.Len()")
	}
	dst = append(dst, resultsHeader...)
	for i, t := range s.Timestamps {
		dst = t.AppendFormat(dst, timeLayout)
		dst = append(dst, ',')
		dst = appendFloat(dst, s.Values[i])
		dst = append(dst, ',')
		dst = appendFloat(dst, scores[i])
		dst = append(dst, ',', byte('0'+s.Label(i)), '\n')
	}
	return dst
}

// appendFloat appends v as Python's repr would, fixed-point for magnitudes
// in [1e-4, 1e16) and exponent form otherwise, without Python's ".0" for
// integers; it reads back to exactly v.
func appendFloat(dst []byte, v float64) []byte {
	if a := math.Abs(v); v == 0 || (a >= 1e-4 && a < 1e16) {
		return strconv.AppendFloat(dst, v, 'f', -1, 64)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}

// WriteResults writes detector's results file for series s, at
// ResultsPath(dir, detector, s.Name), making its directories. It returns an
// error if detector is empty or holds a path separator, if scores does not
// hold one anomaly score in [0, 1] per row of s, or if writing fails.
func WriteResults(dir, detector string, s *Series, scores []float64) error {
	if detector == "" || strings.ContainsAny(detector, `/\`) {
		return fmt.Errorf("write nab results: bad detector name %q", detector)
	}
	if err := checkScores(scores, s); err != nil {
		return fmt.Errorf("write nab results: %w", err)
	}
	p := ResultsPath(dir, detector, s.Name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("write nab results: %w", err)
	}
	if err := os.WriteFile(p, AppendResults(nil, s, scores), 0o644); err != nil {
		return fmt.Errorf("write nab results: %w", err)
	}
	return nil
}

// ReadResults reads the anomaly scores of detector for every series of c
// from their results files below dir (see ResultsPath), keyed by series
// name, ready for Score. Each file is checked as ParseResults documents.
func ReadResults(dir, detector string, c *Corpus) (map[string][]float64, error) {
	scores := make(map[string][]float64, len(c.Series))
	for _, s := range c.Series {
		p := ResultsPath(dir, detector, s.Name)
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("read nab results: %w", err)
		}
		col, err := ParseResults(f, s)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read nab results %s: %w", p, err)
		}
		scores[s.Name] = col
	}
	return scores, nil
}

// ParseResults reads the anomaly_score column of a results file for series
// s. The file needs a header naming the timestamp and anomaly_score columns
// (others, such as NAB's S(t)_<profile> columns, are ignored) and one row
// per row of s, with the same timestamps in the same order.
func ParseResults(r io.Reader, s *Series) ([]float64, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	text := string(b)
	header, text := nextLine(text)
	tsCol, scoreCol := -1, -1
	for k, name := range strings.Split(header, ",") {
		switch name {
		case "timestamp":
			tsCol = k
		case "anomaly_score":
			scoreCol = k
		}
	}
	if tsCol < 0 || scoreCol < 0 {
		return nil, fmt.Errorf("header %q lacks timestamp or anomaly_score", header)
	}
	scores := make([]float64, 0, s.Len())
	for lineNo := 2; text != ""; lineNo++ {
		var line string
		line, text = nextLine(text)
		if line == "" {
			continue
		}
		i := len(scores)
		if i == s.Len() {
			return nil, fmt.Errorf("line %d: more rows than the series' %d", lineNo, s.Len())
		}
		tf, ok1 := field(line, tsCol)
		sf, ok2 := field(line, scoreCol)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("line %d: too few fields", lineNo)
		}
		t, err := parseTime(tf)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", lineNo, err)
		}
		if !t.Equal(s.Timestamps[i]) {
			return nil, fmt.Errorf("line %d: timestamp %s, want %s", lineNo, tf, s.Timestamps[i].Format(timeLayout))
		}
		v, err := strconv.ParseFloat(sf, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: anomaly score: %w", lineNo, err)
		}
		scores = append(scores, v)
	}
	if len(scores) != s.Len() {
		return nil, fmt.Errorf("%d rows, want %d", len(scores), s.Len())
	}
	return scores, nil
}
