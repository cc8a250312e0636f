// Package odds is the accuracy and speed harness of package detect on the
// ODDS outlier-detection sets in shared/data/odds: it loads the CSVs, runs
// each algorithm unsupervised (fit on all rows, score the same rows, as
// scikit-learn's fit_predict), computes ROC-AUC and average precision, and
// compares them with the scikit-learn reference table in BASELINES.md.
//
// The tests of this package assert an ROC-AUC floor on a few small sets;
// `go test ./bench/odds -odds.full -v` runs every algorithm on all 19 sets
// and prints the markdown tables of bench/RESULTS.md. Set TOPOFORGE_ODDS to
// read the sets from another directory.
package odds

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/topoforge/topoforge/detect"
)

// EnvDir names the environment variable that overrides the data directory.
const EnvDir = "TOPOFORGE_ODDS"

// DefaultDir is the data directory relative to this package's directory.
const DefaultDir = "../../../shared/data/odds"

// Dir returns the data directory: $TOPOFORGE_ODDS if set, else DefaultDir.
func Dir() string {
	if d := os.Getenv(EnvDir); d != "" {
		return d
	}
	return DefaultDir
}

// Set is one ODDS data set: numeric features and a label per row.
type Set struct {
	Name    string // file name, e.g. "glass.csv"
	Columns []string
	Rows    [][]float64
	Labels  []bool // true = outlier
}

// Table returns the features as a detect.Table.
func (s *Set) Table() detect.Table {
	t := detect.Table{Columns: s.Columns, Rows: make([][]any, len(s.Rows))}
	for i, r := range s.Rows {
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
		}
		t.Rows[i] = row
	}
	return t
}

// Matrix returns the features row-major.
func (s *Set) Matrix() []float64 {
	var x []float64
	for _, r := range s.Rows {
		x = append(x, r...)
	}
	return x
}

// LoadSet reads an ODDS CSV: a header f1..fd,label and numeric rows with the
// 0/1 label last.
func LoadSet(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read %s header: %w", path, err)
	}
	if len(head) < 2 || head[len(head)-1] != "label" {
		return nil, fmt.Errorf("read %s: last column is not label", path)
	}
	s := &Set{Name: filepath.Base(path), Columns: head[:len(head)-1]}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		row := make([]float64, len(rec)-1)
		for j := range row {
			if row[j], err = strconv.ParseFloat(rec[j], 64); err != nil {
				return nil, fmt.Errorf("read %s line %d: %w", path, line, err)
			}
		}
		s.Rows = append(s.Rows, row)
		s.Labels = append(s.Labels, rec[len(rec)-1] == "1")
	}
	return s, nil
}

// SetNames lists the CSV files of dir, sorted.
func SetNames(dir string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range m {
		names = append(names, filepath.Base(p))
	}
	sort.Strings(names)
	return names, nil
}

// Outcome is the result of one algorithm on one set.
type Outcome struct {
	ROC, PR float64
	Fit     time.Duration // Fit + scoring the training rows
}

// Run fits algorithm with params on s and scores its rows (FitScore).
func Run(s *Set, algorithm string, params map[string]any) (Outcome, error) {
	d, err := detect.New(algorithm, params)
	if err != nil {
		return Outcome{}, err
	}
	t := s.Table()
	start := time.Now()
	res, err := d.FitScore(t)
	if err != nil {
		return Outcome{}, fmt.Errorf("%s on %s: %w", algorithm, s.Name, err)
	}
	el := time.Since(start)
	scores := make([]float64, len(res))
	for i, r := range res {
		scores[i] = r.Score
	}
	return Outcome{ROC: detect.ROCAUC(scores, s.Labels), PR: detect.PRAUC(scores, s.Labels), Fit: el}, nil
}

// Baselines maps set name → reference column (e.g. "IForest ROC") → value,
// parsed from BASELINES.md; "skip" cells are absent.
type Baselines map[string]map[string]float64

// LoadBaselines parses the ODDS table of BASELINES.md.
func LoadBaselines(path string) (Baselines, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := Baselines{}
	var head []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "|") {
			head = nil
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if cells[0] == "dataset" {
			head = cells
			continue
		}
		if head == nil || !strings.HasSuffix(cells[0], ".csv") || len(cells) != len(head) {
			continue
		}
		m := out[cells[0]]
		if m == nil {
			m = map[string]float64{}
			out[cells[0]] = m
		}
		for i := 1; i < len(cells); i++ {
			if v, err := strconv.ParseFloat(cells[i], 64); err == nil {
				m[head[i]] = v
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no ODDS table in %s", path)
	}
	return out, nil
}
