package nab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestNewCorpusErrors(t *testing.T) {
	ts := func(rows ...int) []time.Time {
		v := make([]time.Time, len(rows))
		for i, r := range rows {
			v[i] = t0.Add(time.Duration(r) * time.Minute)
		}
		return v
	}
	win := func(a, b int) Window {
		return Window{Start: t0.Add(time.Duration(a) * time.Minute), End: t0.Add(time.Duration(b) * time.Minute)}
	}
	for _, tc := range []struct {
		name    string
		series  []*Series
		wantErr string
	}{
		{"ErrNoSeries", nil, "no series"},
		{"ErrName", []*Series{{Name: "a.csv", Timestamps: ts(0), Values: []float64{0}}}, `name is not "<category>/<file>"`},
		{"ErrNameDepth", []*Series{{Name: "a/b/c.csv", Timestamps: ts(0), Values: []float64{0}}}, `name is not`},
		{"ErrDuplicate", []*Series{
			{Name: "c/a.csv", Timestamps: ts(0), Values: []float64{0}},
			{Name: "c/a.csv", Timestamps: ts(0), Values: []float64{0}},
		}, "series c/a.csv given twice"},
		{"ErrNoRows", []*Series{{Name: "c/a.csv"}}, "no rows"},
		{"ErrValues", []*Series{{Name: "c/a.csv", Timestamps: ts(0, 1), Values: []float64{0}}}, "1 values for 2 timestamps"},
		{"ErrStartMissing", []*Series{{Name: "c/a.csv", Timestamps: ts(0, 1, 2), Values: make([]float64, 3),
			Windows: []Window{win(5, 2)}}}, "window 0 start: timestamp 2020-01-01 00:05:00 is not in the series"},
		{"ErrStartTwice", []*Series{{Name: "c/a.csv", Timestamps: ts(0, 1, 1, 2), Values: make([]float64, 4),
			Windows: []Window{win(1, 2)}}}, "occurs at rows 1 and 2"},
		{"ErrBackwards", []*Series{{Name: "c/a.csv", Timestamps: ts(0, 2, 1, 3), Values: make([]float64, 4),
			Windows: []Window{win(1, 2)}}}, "window 0 ends at row 1 before it starts at row 2"},
		{"ErrOverlap", []*Series{{Name: "c/a.csv", Timestamps: ts(0, 1, 2, 3, 4), Values: make([]float64, 5),
			Windows: []Window{win(1, 3), win(3, 4)}}}, "window 1 starts at row 3, not after the previous window's end at row 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewCorpus(tc.series)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("NewCorpus error = %v, want %q", err, tc.wantErr)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		s := &Series{Name: "c/a.csv", Timestamps: ts(0, 1, 2, 3, 4), Values: make([]float64, 5),
			Windows: []Window{win(1, 2), win(3, 4)}}
		c := MustCorpus(t, s)
		if s.Category != "c" || s.Windows[0].First != 1 || s.Windows[0].Last != 2 || s.Windows[1].First != 3 || s.Windows[1].Last != 4 {
			t.Errorf("NewCorpus set Category %q, windows %+v", s.Category, s.Windows)
		}
		if c.NumRows() != 5 || c.NumWindows() != 2 {
			t.Errorf("Rows, Windows = %d, %d, want 5, 2", c.NumRows(), c.NumWindows())
		}
		for i, want := range []int{0, 1, 1, 1, 1} {
			if got := s.Label(i); got != want {
				t.Errorf("Label(%d) = %d, want %d", i, got, want)
			}
		}
	})
}

func TestSubset(t *testing.T) {
	a := MustSeries(t, "x/a.csv", 10)
	b := MustSeries(t, "x/b.csv", 20, [2]int{5, 6})
	d := MustSeries(t, "y/d.csv", 30)
	c := MustCorpus(t, d, b, a)
	sub, err := c.Subset("y/d.csv", "x/a.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Series) != 2 || sub.Series[0] != a || sub.Series[1] != d {
		t.Errorf("Subset = %v, want a, d", sub.Series)
	}
	if s, ok := sub.Find("y/d.csv"); !ok || s != d {
		t.Errorf("Subset.Find(y/d.csv) = %v, %v", s, ok)
	}
	if _, ok := sub.Find("x/b.csv"); ok {
		t.Errorf("Subset.Find(x/b.csv) = true, want false")
	}
	for _, tc := range []struct {
		names   []string
		wantErr string
	}{
		{nil, "no series"},
		{[]string{"x/zz.csv"}, "no series x/zz.csv"},
		{[]string{"x/a.csv", "x/a.csv"}, "series x/a.csv given twice"},
	} {
		if _, err := c.Subset(tc.names...); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("Subset(%q) error = %v, want %q", tc.names, err, tc.wantErr)
		}
	}
}

// MustWriteFile writes a file below dir, making its directories.
func MustWriteFile(tb testing.TB, dir, name, text string) {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func TestLoadCorpusSmall(t *testing.T) {
	dir := t.TempDir()
	// CRLF line ends, no final line end and a blank line, as in NAB's files.
	MustWriteFile(t, dir, "data/cat/b.csv", "timestamp,value\r\n2014-04-01 00:00:00,1\r\n2014-04-01 00:05:00,2.5\r\n\r\n2014-04-01 00:10:00,-1.0e-05")
	MustWriteFile(t, dir, "data/cat/a.csv", "timestamp,value\n2014-04-01 00:00:00,3\n")
	MustWriteFile(t, dir, "data/README.md", "not a series")
	MustWriteFile(t, dir, windowsFile, `{"cat/a.csv": [], "cat/b.csv": [["2014-04-01 00:05:00.000000", "2014-04-01 00:10:00.000000"]]}`)
	MustWriteFile(t, dir, labelsFile, `{"cat/b.csv": ["2014-04-01 00:05:00"]}`)
	c, err := LoadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Series) != 2 || c.Series[0].Name != "cat/a.csv" || c.Series[1].Name != "cat/b.csv" {
		t.Fatalf("LoadCorpus series = %v", c.Series)
	}
	b := c.Series[1]
	if b.Len() != 3 || b.Values[1] != 2.5 || b.Values[2] != -1e-5 {
		t.Errorf("b.csv values = %v, want [1 2.5 -1e-05]", b.Values)
	}
	if want := time.Date(2014, 4, 1, 0, 10, 0, 0, time.UTC); !b.Timestamps[2].Equal(want) {
		t.Errorf("b.csv row 2 = %v, want %v", b.Timestamps[2], want)
	}
	if len(b.Windows) != 1 || b.Windows[0].First != 1 || b.Windows[0].Last != 2 {
		t.Errorf("b.csv windows = %+v, want rows 1..2", b.Windows)
	}
	if len(b.Labels) != 1 || !b.Labels[0].Equal(b.Timestamps[1]) {
		t.Errorf("b.csv labels = %v, want [%v]", b.Labels, b.Timestamps[1])
	}

	for _, tc := range []struct {
		name, file, text, wantErr string
	}{
		{"ErrHeader", "data/cat/a.csv", "time,value\n", `header "time,value"`},
		{"ErrTimestamp", "data/cat/a.csv", "timestamp,value\n2014-13-01 00:00:00,3\n", "line 2: timestamp"},
		{"ErrValue", "data/cat/a.csv", "timestamp,value\n2014-04-01 00:00:00,x\n", "line 2: value"},
		{"ErrFields", "data/cat/a.csv", "timestamp,value\n2014-04-01 00:00:00,1,2\n", "line 2"},
		{"ErrNoWindowsEntry", windowsFile, `{"cat/b.csv": []}`, "load nab series cat/a.csv: no entry in labels/combined_windows.json"},
		{"ErrWindowsNoFile", windowsFile, `{"cat/a.csv": [], "cat/b.csv": [], "cat/c.csv": []}`, "cat/c.csv has windows but no data file"},
		{"ErrWindowPair", windowsFile, `{"cat/a.csv": [["2014-04-01 00:00:00"]], "cat/b.csv": []}`, "window 0: 1 timestamps, want 2"},
		{"ErrWindowRow", windowsFile, `{"cat/a.csv": [["2014-04-01 00:00:00", "2014-04-02 00:00:00"]], "cat/b.csv": []}`, "window 0 end"},
		{"ErrWindowsJSON", windowsFile, `{`, "load nab windows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := t.TempDir()
			for _, f := range []string{"data/cat/a.csv", "data/cat/b.csv", windowsFile, labelsFile} {
				b, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Fatal(err)
				}
				MustWriteFile(t, d, f, string(b))
			}
			MustWriteFile(t, d, tc.file, tc.text)
			if _, err := LoadCorpus(d); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("LoadCorpus error = %v, want %q", err, tc.wantErr)
			}
		})
	}
	if _, err := LoadCorpus(filepath.Join(dir, "nowhere")); err == nil {
		t.Errorf("LoadCorpus(nowhere) = nil error")
	}
}

func TestParseTime(t *testing.T) {
	f := func(s string, want time.Time) {
		t.Helper()
		got, err := parseTime(s)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v, want %v", s, got, err, want)
		}
	}
	f("2014-04-10 07:15:00", time.Date(2014, 4, 10, 7, 15, 0, 0, time.UTC))
	f("2014-04-10 07:15:00.000000", time.Date(2014, 4, 10, 7, 15, 0, 0, time.UTC))
	f("2014-04-10 07:15:00.250000", time.Date(2014, 4, 10, 7, 15, 0, 250e6, time.UTC))
	f("2016-02-29 23:59:59", time.Date(2016, 2, 29, 23, 59, 59, 0, time.UTC))
	for _, s := range []string{"", "2014-04-31 00:00:00", "2015-02-29 00:00:00", "2014-04-10T07:15:00", "2014-04-10 24:00:00", "2014-04-10 07:15"} {
		if got, err := parseTime(s); err == nil {
			t.Errorf("parseTime(%q) = %v, want an error", s, got)
		}
	}
}
