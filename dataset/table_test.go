package dataset

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/topoforge/topoforge/detect"
)

const typedCSV = "n,ts,flag,city,empty,label\n" +
	"1,2024-01-01T00:00:00Z,true,Paris,,0\n" +
	"2,2024-01-01 00:00:01.5,false,,,1\n" +
	"2.5,2024-01-02,TRUE,\" Lyon \",,normal\n" +
	",2024-01-01T01:00:00+01:00,,Paris,,anomaly\n"

func TestTable(t *testing.T) {
	// Two-row chunks: the first holds only ints, the float arrives later,
	// and the whole column still reads as float64.
	s, chunks := MustIngestCSV(t, typedCSV, Options{LabelColumn: "label", ChunkRows: 2})
	tab, labels, err := s.Table(loader(chunks), nil)
	if err != nil {
		t.Fatal(err)
	}
	const jan1 = 1704067200.0 // 2024-01-01T00:00:00Z in Unix seconds
	want := detect.Table{
		Columns: []string{"n", "ts", "flag", "city", "empty"},
		Rows: [][]any{
			{1.0, jan1, true, "Paris", nil},
			{2.0, jan1 + 1.5, false, nil, nil},
			{2.5, jan1 + 86400, true, " Lyon ", nil},
			{nil, jan1, nil, "Paris", nil},
		},
	}
	if !reflect.DeepEqual(tab, want) {
		t.Errorf("Table =\n%v\nwant\n%v", tab, want)
	}
	if want := []bool{false, true, false, true}; !reflect.DeepEqual(labels, want) {
		t.Errorf("labels = %v, want %v", labels, want)
	}

	// A subset, in the order asked, labels aligned.
	tab, labels, err = s.Table(loader(chunks), []int{3, 0, 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 3 || tab.Rows[0][3] != "Paris" || tab.Rows[1][0] != 1.0 || tab.Rows[2][0] != 2.5 ||
		!reflect.DeepEqual(labels, []bool{true, false, false}) {
		t.Errorf("Table(3, 0, 2) = %v, labels %v", tab.Rows, labels)
	}

	// The table is what detect fits on.
	d, err := detect.New("IsolationForest", map[string]any{"contamination": 0.25})
	if err != nil {
		t.Fatal(err)
	}
	full, _, _ := s.Table(loader(chunks), nil)
	full.Columns, full.Rows = full.Columns[:4], trimRows(full.Rows, 4) // drop the all-missing column
	if err := d.Fit(full); err != nil {
		t.Errorf("detect Fit on the table: %v", err)
	}
}

// trimRows keeps the first n cells of each row.
func trimRows(rows [][]any, n int) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = r[:n]
	}
	return out
}

func TestTableErrors(t *testing.T) {
	s, chunks := MustIngestCSV(t, typedCSV, Options{LabelColumn: "label", ChunkRows: 2})
	f := func(name string, load func(int) ([]byte, error), rows []int, want error, msg string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			_, _, err := s.Table(load, rows)
			if err == nil || (want != nil && !errors.Is(err, want)) || !strings.Contains(err.Error(), msg) {
				t.Errorf("Table: %v, want %v containing %q", err, want, msg)
			}
		})
	}
	boom := errors.New("not found")
	f("OutOfRange", loader(chunks), []int{4}, nil, "row 4 out of range [0, 4)")
	f("Negative", loader(chunks), []int{-1}, nil, "out of range")
	f("LoadError", func(int) ([]byte, error) { return nil, boom }, nil, boom, "load chunk 0: not found")
	f("Corrupt", func(int) ([]byte, error) { return []byte{1, 5}, nil }, nil, ErrChunk, "chunk 0: decode chunk")
	f("WrongRowCount", func(int) ([]byte, error) { return EncodeChunk([][]string{{"1"}}), nil }, nil, ErrChunk, "1 rows, want 2")
	f("BadCell", func(int) ([]byte, error) {
		return EncodeChunk([][]string{{"x", "", "", "", "", "0"}, {"1", "", "", "", "", "0"}}), nil
	}, nil, ErrChunk, `column "n": "x" is not float`)
	f("BadLabel", func(int) ([]byte, error) {
		return EncodeChunk([][]string{{"1", "", "", "", "", "?"}, {"1", "", "", "", "", "0"}}), nil
	}, nil, ErrChunk, `bad label "?"`)

	bad := *s
	bad.ChunkSizes = []int{2, 1}
	if _, _, err := bad.Table(loader(chunks), nil); !errors.Is(err, ErrChunk) {
		t.Errorf("inconsistent schema: %v, want ErrChunk", err)
	}
}

func TestSample(t *testing.T) {
	s, chunks := MustIngestCSV(t, typedCSV, Options{LabelColumn: "label", ChunkRows: 2})
	calls := 0
	load := func(i int) ([]byte, error) { calls++; return chunks[i], nil }
	sample, err := s.Sample(load, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"n":1,"ts":"2024-01-01T00:00:00Z","flag":true,"city":"Paris","empty":null,"label":false}`
	if len(sample) != 1 || string(sample[0]) != want || calls != 1 {
		t.Errorf("Sample(1) = %s (%d loads), want %s (1 load)", sample, calls, want)
	}
	sample, err = s.Sample(loader(chunks), 100)
	if err != nil || len(sample) != 4 {
		t.Fatalf("Sample(100) = %d rows, %v; want 4", len(sample), err)
	}
	if want := `{"n":2.5,"ts":"2024-01-02","flag":true,"city":" Lyon ","empty":null,"label":false}`; string(sample[2]) != want {
		t.Errorf("row 2 = %s, want %s", sample[2], want)
	}
	if sample, _ := s.Sample(loader(chunks), -1); len(sample) != 0 {
		t.Errorf("Sample(-1) = %s, want none", sample)
	}

	// Ints stay integers; text is escaped.
	s, chunks = MustIngestCSV(t, "id,big,text\n1,9007199254740993,\"a \"\"b\"\"\n<c>\"\n", Options{})
	b, err := s.AppendJSON(nil, mustDecode(t, chunks[0])[0])
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":1,"big":9007199254740993,"text":"a \"b\"\n\u003cc\u003e"}`; string(b) != want {
		t.Errorf("AppendJSON = %s, want %s", b, want)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Errorf("AppendJSON output does not decode: %v", err)
	}
}

func mustDecode(tb testing.TB, data []byte) [][]string {
	tb.Helper()
	rows, err := DecodeChunk(data)
	if err != nil {
		tb.Fatal(err)
	}
	return rows
}

func TestSplit(t *testing.T) {
	train, valid := Split(10, 0.2, 1)
	// Pinned: the split of a seed never changes.
	if got := fmt.Sprint(train, valid); got != "[0 1 2 3 4 6 8 9] [5 7]" {
		t.Errorf("Split(10, 0.2, 1) = %s", got)
	}
	f := func(n int, fraction float64, seed int64, wantValid int) {
		t.Helper()
		train, valid := Split(n, fraction, seed)
		if len(valid) != wantValid || len(train)+len(valid) != n {
			t.Errorf("Split(%d, %v, %d): %d train, %d valid; want %d valid", n, fraction, seed, len(train), len(valid), wantValid)
		}
		seen := make([]bool, n)
		for _, part := range [][]int{train, valid} {
			for i, r := range part {
				if seen[r] || (i > 0 && part[i-1] >= r) {
					t.Fatalf("Split(%d, %v, %d): row %d repeated or out of order", n, fraction, seed, r)
				}
				seen[r] = true
			}
		}
		t2, v2 := Split(n, fraction, seed)
		if !reflect.DeepEqual(t2, train) || !reflect.DeepEqual(v2, valid) {
			t.Errorf("Split(%d, %v, %d) is not deterministic", n, fraction, seed)
		}
	}
	f(0, 0.5, 1, 0)
	f(1, 0.2, 1, 0)
	f(10000, 0.2, 7, 2000)
	f(10001, 0.2, 7, 2000)
	f(5, 0, 1, 0)
	f(5, 1, 1, 5)
	_, a := Split(1000, 0.1, 1)
	_, b := Split(1000, 0.1, 2)
	if reflect.DeepEqual(a, b) {
		t.Error("seeds 1 and 2 give the same split")
	}
	for _, bad := range []float64{-0.1, 1.5} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Split(10, %v, 1) did not panic", bad)
				}
			}()
			Split(10, bad, 1)
		}()
	}
}

func TestSplitMix64(t *testing.T) {
	// Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
	s := splitMix64(0)
	for i, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f} {
		if got := s.next(); got != want {
			t.Errorf("%d: next() = %#x, want %#x", i, got, want)
		}
	}
}
