package nab

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Paths of the corpus files below the NAB directory given to LoadCorpus.
const (
	dataSubdir  = "data"
	windowsFile = "labels/combined_windows.json"
	labelsFile  = "labels/combined_labels.json"
)

// Window is one labelled anomaly window of a series.
type Window struct {
	// Start and End are the timestamps of the window's first and last rows,
	// as combined_windows.json gives them.
	Start, End time.Time

	// First and Last are the rows holding Start and End. The scorer counts
	// rows First..Last, both included, as inside the window. NewCorpus sets
	// them; each of Start and End must occur exactly once in the series.
	First, Last int
}

// Series is one data file of the corpus. It must not be modified once it
// belongs to a Corpus.
type Series struct {
	// Name is the file's path below data/, "realKnownCause/nyc_taxi.csv":
	// the key of the labels files and of the score maps given to Score.
	Name string

	// Category is the directory part of Name, "realKnownCause".
	Category string

	// Timestamps and Values are the file's rows, in file order. NAB's
	// timestamps are in no time zone; they are kept as UTC.
	Timestamps []time.Time
	Values     []float64

	// Windows are the series' anomaly windows, in row order.
	Windows []Window

	// Labels are the raw labelled anomaly timestamps the windows were
	// built from (combined_labels.json), for reference only: the scorer
	// uses Windows.
	Labels []time.Time
}

// Len returns the number of rows.
func (s *Series) Len() int { return len(s.Timestamps) }

// Label returns row i's value in the label column of NAB's results files: 1
// when its timestamp t lies in some window, Start ≤ t ≤ End, else 0. It
// could differ from the scorer's "First ≤ i ≤ Last" only where timestamps
// go backwards; on NAB's corpus the two agree on every row. Label panics if
// i is out of range.
func (s *Series) Label(i int) int {
	t := s.Timestamps[i]
	for _, w := range s.Windows {
		if !t.Before(w.Start) && !t.After(w.End) {
			return 1
		}
	}
	return 0
}

// Corpus is a set of series, sorted by name. It must not be modified once
// built; use NewCorpus, LoadCorpus or Subset to make one.
type Corpus struct {
	// Series are the corpus' series, sorted by Name.
	Series []*Series

	byName map[string]int
}

// LoadCorpus reads the NAB corpus below dir: every data/<category>/*.csv file
// (hidden files aside) with its windows from labels/combined_windows.json and its raw labels from
// labels/combined_labels.json. Every data file needs an entry in the windows
// file (an empty list if it has no anomaly) and every entry a data file. The
// files are checked as NewCorpus documents.
func LoadCorpus(dir string) (*Corpus, error) {
	var rawWindows map[string][][]string
	if err := readJSON(filepath.Join(dir, windowsFile), &rawWindows); err != nil {
		return nil, fmt.Errorf("load nab windows: %w", err)
	}
	var rawLabels map[string][]string
	if err := readJSON(filepath.Join(dir, labelsFile), &rawLabels); err != nil {
		return nil, fmt.Errorf("load nab labels: %w", err)
	}
	paths, err := filepath.Glob(filepath.Join(dir, dataSubdir, "*", "*.csv"))
	if err != nil {
		return nil, fmt.Errorf("list nab data files: %w", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("list nab data files: no %s/<category>/*.csv below %s", dataSubdir, dir)
	}
	series := make([]*Series, 0, len(paths))
	for _, p := range paths {
		if strings.HasPrefix(filepath.Base(p), ".") { // NAB skips hidden files
			continue
		}
		name := filepath.Base(filepath.Dir(p)) + "/" + filepath.Base(p)
		s, err := loadSeries(p, name, rawWindows, rawLabels)
		if err != nil {
			return nil, fmt.Errorf("load nab series %s: %w", name, err)
		}
		series = append(series, s)
	}
	c, err := NewCorpus(series)
	if err != nil {
		return nil, fmt.Errorf("load nab corpus: %w", err)
	}
	for _, name := range sortedKeys(rawWindows) {
		if _, ok := c.Find(name); !ok {
			return nil, fmt.Errorf("load nab windows: %s has windows but no data file", name)
		}
	}
	return c, nil
}

func loadSeries(path, name string, rawWindows map[string][][]string, rawLabels map[string][]string) (*Series, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := &Series{Name: name}
	if s.Timestamps, s.Values, err = parseData(string(b)); err != nil {
		return nil, err
	}
	limits, ok := rawWindows[name]
	if !ok {
		return nil, fmt.Errorf("no entry in %s", windowsFile)
	}
	for k, l := range limits {
		if len(l) != 2 {
			return nil, fmt.Errorf("window %d: %d timestamps, want 2", k, len(l))
		}
		var w Window
		if w.Start, err = parseTime(l[0]); err != nil {
			return nil, fmt.Errorf("window %d start: %w", k, err)
		}
		if w.End, err = parseTime(l[1]); err != nil {
			return nil, fmt.Errorf("window %d end: %w", k, err)
		}
		s.Windows = append(s.Windows, w)
	}
	for k, l := range rawLabels[name] {
		t, err := parseTime(l)
		if err != nil {
			return nil, fmt.Errorf("label %d: %w", k, err)
		}
		s.Labels = append(s.Labels, t)
	}
	return s, nil
}

// NewCorpus makes a corpus of series, which it takes over and sorts by name.
// It fills in each series' Category and each window's First and Last rows,
// and checks that names are unique and of the form "<category>/<file>", that
// Timestamps and Values have the same non-zero length, that each window's
// Start and End occur exactly once among the timestamps (NAB refuses labels
// otherwise) and that windows follow each other in row order without
// overlapping.
func NewCorpus(series []*Series) (*Corpus, error) {
	if len(series) == 0 {
		return nil, errors.New("new corpus: no series")
	}
	slices.SortFunc(series, func(a, b *Series) int { return strings.Compare(a.Name, b.Name) })
	c := &Corpus{Series: series, byName: make(map[string]int, len(series))}
	for i, s := range series {
		if _, dup := c.byName[s.Name]; dup {
			return nil, fmt.Errorf("new corpus: series %s given twice", s.Name)
		}
		c.byName[s.Name] = i
		if err := checkSeries(s); err != nil {
			return nil, fmt.Errorf("new corpus: series %s: %w", s.Name, err)
		}
	}
	return c, nil
}

func checkSeries(s *Series) error {
	category, file, ok := strings.Cut(s.Name, "/")
	if !ok || category == "" || file == "" || strings.Contains(file, "/") {
		return errors.New(`name is not "<category>/<file>"`)
	}
	s.Category = category
	n := len(s.Timestamps)
	if n == 0 {
		return errors.New("no rows")
	}
	if len(s.Values) != n {
		return fmt.Errorf("%d values for %d timestamps", len(s.Values), n)
	}
	prevLast := -1
	for k := range s.Windows {
		w := &s.Windows[k]
		var err error
		if w.First, err = uniqueRow(s.Timestamps, w.Start); err != nil {
			return fmt.Errorf("window %d start: %w", k, err)
		}
		if w.Last, err = uniqueRow(s.Timestamps, w.End); err != nil {
			return fmt.Errorf("window %d end: %w", k, err)
		}
		if w.Last < w.First {
			return fmt.Errorf("window %d ends at row %d before it starts at row %d", k, w.Last, w.First)
		}
		if w.First <= prevLast {
			return fmt.Errorf("window %d starts at row %d, not after the previous window's end at row %d", k, w.First, prevLast)
		}
		prevLast = w.Last
	}
	return nil
}

// uniqueRow returns the only row whose timestamp is t.
func uniqueRow(ts []time.Time, t time.Time) (int, error) {
	row := -1
	for i, u := range ts {
		if u.Equal(t) {
			if row >= 0 {
				return 0, fmt.Errorf("timestamp %s occurs at rows %d and %d", t.Format(timeLayout), row, i)
			}
			row = i
		}
	}
	if row < 0 {
		return 0, fmt.Errorf("timestamp %s is not in the series", t.Format(timeLayout))
	}
	return row, nil
}

// Find returns the series called name, "realKnownCause/nyc_taxi.csv".
func (c *Corpus) Find(name string) (*Series, bool) {
	i, ok := c.byName[name]
	if !ok {
		return nil, false
	}
	return c.Series[i], true
}

// NumRows returns the number of rows of all series.
func (c *Corpus) NumRows() int {
	n := 0
	for _, s := range c.Series {
		n += s.Len()
	}
	return n
}

// NumWindows returns the number of anomaly windows of all series.
func (c *Corpus) NumWindows() int {
	n := 0
	for _, s := range c.Series {
		n += len(s.Windows)
	}
	return n
}

// Subset returns the corpus of the named series, which it shares with c;
// for instance one category, for a quick tuning loop. Normalised scores of a
// subset are relative to the subset's own null and perfect scores. Subset
// returns an error for an unknown or repeated name or for no name.
func (c *Corpus) Subset(names ...string) (*Corpus, error) {
	if len(names) == 0 {
		return nil, errors.New("subset corpus: no series")
	}
	sub := &Corpus{byName: make(map[string]int, len(names))}
	for _, name := range names {
		s, ok := c.Find(name)
		if !ok {
			return nil, fmt.Errorf("subset corpus: no series %s", name)
		}
		if _, dup := sub.byName[name]; dup {
			return nil, fmt.Errorf("subset corpus: series %s given twice", name)
		}
		sub.byName[name] = 0
		sub.Series = append(sub.Series, s)
	}
	slices.SortFunc(sub.Series, func(a, b *Series) int { return strings.Compare(a.Name, b.Name) })
	for i, s := range sub.Series {
		sub.byName[s.Name] = i
	}
	return sub, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
