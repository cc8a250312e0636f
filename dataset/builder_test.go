package dataset

import (
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// MustIngestCSV ingests in and returns the schema and the chunks.
func MustIngestCSV(tb testing.TB, in string, opts Options) (*Schema, [][]byte) {
	tb.Helper()
	var chunks [][]byte
	s, err := IngestCSV(strings.NewReader(in), opts, func(c Chunk) error {
		chunks = append(chunks, c.Data)
		return nil
	})
	if err != nil {
		tb.Fatalf("ingest %q: %v", in, err)
	}
	return s, chunks
}

// loader serves chunks from a slice.
func loader(chunks [][]byte) func(int) ([]byte, error) {
	return func(i int) ([]byte, error) { return chunks[i], nil }
}

const transactionsCSV = "\xef\xbb\xbfid,amount,merchant,at,active,note,is_fraud\r\n" +
	"1,12.5,grocery,2024-01-01T10:00:00Z,true,,0\r\n" +
	"2,100,fuel,2024-01-02,false,NA,0\r\n" +
	"3,,grocery,2024-01-03 08:00:00,TRUE,,1\r\n" +
	"4,5000,\"jewelry, fine\",2024-01-01,true,,yes\r\n"

func TestSummary(t *testing.T) {
	s, _ := MustIngestCSV(t, transactionsCSV, Options{LabelColumn: "is_fraud"})
	got, err := json.Marshal(s.Summary())
	if err != nil {
		t.Fatal(err)
	}
	// Hand-checked: amount skips the empty cell, note is all missing ("" and
	// NA), at's minimum is the date-only 2024-01-01 (midnight UTC), merchant
	// counts "jewelry, fine" once, the label counts 1 and yes.
	want := `{"sample_count":4,"feature_count":6,"features":[` +
		`{"name":"id","type":"int","min":1,"max":4,"missing":0},` +
		`{"name":"amount","type":"float","min":12.5,"max":5000,"missing":1},` +
		`{"name":"merchant","type":"string","unique_values":3,"missing":0},` +
		`{"name":"at","type":"timestamp","min":"2024-01-01T00:00:00Z","max":"2024-01-03T08:00:00Z","missing":0},` +
		`{"name":"active","type":"bool","unique_values":2,"missing":0},` +
		`{"name":"note","type":"empty","missing":4}],` +
		`"statistics":{"numerical_features":3,"categorical_features":2,"empty_features":1,"missing_values":5},` +
		`"label":{"name":"is_fraud","column":6,"anomalies":2}}`
	if string(got) != want {
		t.Errorf("Summary JSON =\n%s\nwant\n%s", got, want)
	}

	// The schema is stored as JSON and read back unchanged.
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Schema
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, s) {
		t.Errorf("schema round trip:\n%+v\nwant\n%+v", back, *s)
	}
}

// TestSummaryMatchesContract checks that a handler embedding Summary answers
// GET /datasets/{id} with every field of the contract's example, same JSON
// kinds.
func TestSummaryMatchesContract(t *testing.T) {
	const contract = `{
	  "id": "dataset_123",
	  "name": "Credit Transactions",
	  "description": "Historical credit card transactions",
	  "sample_count": 10000,
	  "feature_count": 15,
	  "features": [
	    {"name": "amount", "type": "float", "min": 0.1, "max": 10000.0},
	    {"name": "merchant_category", "type": "string", "unique_values": 50}
	  ],
	  "statistics": {
	    "numerical_features": 8,
	    "categorical_features": 7,
	    "missing_values": 0
	  }
	}`
	s, _ := MustIngestCSV(t, "amount,merchant_category\n0.1,a\n10000.0,b\n", Options{})
	reply := struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
		Summary
	}{"dataset_123", "Credit Transactions", "Historical credit card transactions", s.Summary()}
	b, err := json.Marshal(reply)
	if err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(contract), &want); err != nil {
		t.Fatal(err)
	}
	checkShape(t, "", got, want)
	if f := got["features"].([]any)[0].(map[string]any); f["min"] != 0.1 || f["max"] != 10000.0 {
		t.Errorf("amount min, max = %v, %v; want 0.1, 10000", f["min"], f["max"])
	}
}

// checkShape checks that got has every key of want, recursively, with values
// of the same JSON kind.
func checkShape(t *testing.T, path string, got, want any) {
	t.Helper()
	if reflect.TypeOf(got) != reflect.TypeOf(want) {
		t.Errorf("%s: got %T, want %T", path, got, want)
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, ok := g[k]; !ok {
				t.Errorf("%s.%s: missing", path, k)
				continue
			}
			checkShape(t, path+"."+k, g[k], w[k])
		}
	case []any:
		g := got.([]any)
		for i := range min(len(g), len(w)) {
			checkShape(t, path+"[]", g[i], w[i])
		}
	}
}

func TestChunking(t *testing.T) {
	var b strings.Builder
	b.WriteString("n,s\n")
	for i := range 5 {
		b.WriteString(strings.Repeat("9", i+1) + ",x\n")
	}
	var got []Chunk
	s, err := IngestCSV(strings.NewReader(b.String()), Options{ChunkRows: 2}, func(c Chunk) error {
		got = append(got, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.ChunkSizes, []int{2, 2, 1}) || s.Rows != 5 {
		t.Fatalf("chunk sizes %v, rows %d; want [2 2 1], 5", s.ChunkSizes, s.Rows)
	}
	for i, c := range got {
		rows, err := DecodeChunk(c.Data)
		if err != nil {
			t.Fatal(err)
		}
		if c.Index != i || c.FirstRow != 2*i || c.Rows != len(rows) || rows[0][0] != strings.Repeat("9", 2*i+1) {
			t.Errorf("chunk %d: %+v, first row %q", i, c, rows[0])
		}
	}

	// ChunkBytes closes chunks early.
	s, _ = MustIngestCSV(t, b.String(), Options{ChunkBytes: 7})
	if !reflect.DeepEqual(s.ChunkSizes, []int{2, 1, 1, 1}) {
		t.Errorf("chunk sizes with ChunkBytes 7: %v, want [2 1 1 1]", s.ChunkSizes)
	}
}

func TestBuilderErrors(t *testing.T) {
	f := func(name, in string, opts Options, want error, line, row int, column string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			_, err := IngestCSV(strings.NewReader(in), opts, func(Chunk) error { return nil })
			if !errors.Is(err, want) {
				t.Fatalf("ingest %q: %v, want %v", in, err, want)
			}
			var pe *ParseError
			if errors.As(err, &pe) && (pe.Line != line || pe.Row != row || pe.Column != column) {
				t.Errorf("ingest %q: %v: line %d row %d column %q, want %d %d %q", in, err, pe.Line, pe.Row, pe.Column, line, row, column)
			}
		})
	}
	lab := Options{LabelColumn: "y"}
	f("ErrNoRows", "a,b\n\n", Options{}, ErrNoRows, 0, 0, "")
	f("ErrLabelBad", "x,y\n1,0\n2,1\n3,maybe\n", lab, ErrLabel, 4, 2, "y")
	f("ErrLabelMissing", "x,y\n1,0\n2,\n", lab, ErrLabel, 3, 1, "y")
	f("ErrLabelNull", "x,y\n1,NA\n", lab, ErrLabel, 2, 0, "y")
	f("ErrLabelNoColumn", "x,z\n1,0\n", lab, ErrHeader, 1, -1, "y")
	f("ErrFieldCountAfterQuotes", "a,b\n\"1\n2\",3\n4\n", Options{}, ErrFieldCount, 4, 1, "")

	_, err := IngestCSV(strings.NewReader("a\n1\n2\n3\n"), Options{MaxRows: 2}, func(Chunk) error { return nil })
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitRows || le.Value != 2 || le.Line != 4 || le.Row != 2 {
		t.Errorf("MaxRows: %v (%+v), want max_rows 2 at line 4, row 2", err, le)
	}
	if want := "input exceeds max_rows (2) at line 4"; err.Error() != want {
		t.Errorf("MaxRows error %q, want %q", err, want)
	}

	boom := errors.New("disk full")
	b, _ := NewBuilder(Options{ChunkRows: 1}, func(Chunk) error { return boom })
	if err := b.ReadCSV(strings.NewReader("a\n1\n2\n")); !errors.Is(err, boom) || err.Error() != "emit chunk 0: disk full" {
		t.Errorf("emit error: %v", err)
	}
	if _, err := b.Finish(); !errors.Is(err, boom) {
		t.Errorf("Finish after an emit error: %v, want it again", err)
	}
}

func TestNullValuesAndSpaces(t *testing.T) {
	in := "a,b,c\n NA ,\" \",None\n1,x,null\n"
	s, chunks := MustIngestCSV(t, in, Options{})
	for j, want := range []int{1, 1, 2} {
		if s.Columns[j].Missing != want {
			t.Errorf("column %s: %d missing, want %d", s.Columns[j].Name, s.Columns[j].Missing, want)
		}
	}
	rows, _ := DecodeChunk(chunks[0])
	if want := [][]string{{"", "", ""}, {"1", "x", ""}}; !reflect.DeepEqual(rows, want) {
		t.Errorf("stored %q, want %q", rows, want)
	}
	s, _ = MustIngestCSV(t, in, Options{NullValues: []string{}})
	if s.Columns[0].Type != TypeString || s.Columns[2].Missing != 0 {
		t.Errorf("no null values: %+v", s.Columns)
	}
}

func TestUniqueCap(t *testing.T) {
	f := func(in string, want int, capped bool) {
		t.Helper()
		s, _ := MustIngestCSV(t, in, Options{MaxUnique: 3})
		f := s.Columns[0]
		if f.UniqueValues == nil || *f.UniqueValues != want || f.UniqueCapped != capped {
			t.Errorf("%q: unique %v capped %v, want %d %v", in, f.UniqueValues, f.UniqueCapped, want, capped)
		}
	}
	f("s\na\nb\na\nb\n", 2, false)
	f("s\na\nb\nc\na\n", 3, true)
	f("s\na\nb\nc\nd\ne\n", 3, true)
	f("s\n1\n2\n3\n4\nx\n", 3, true) // numbers until the last cell count too
	f("s\ntrue\nTRUE\nTrue\n", 1, false)
}

func TestSetColumnsAddRow(t *testing.T) {
	var chunks [][]byte
	b, err := NewBuilder(Options{LabelColumn: "y"}, func(c Chunk) error { chunks = append(chunks, c.Data); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := b.SetColumns([]string{"x", "y"}); err != nil {
		t.Fatal(err)
	}
	if err := b.AddRow([]string{"1.5", "0"}); err != nil {
		t.Fatal(err)
	}
	if err := b.AddRow([]string{"1"}); !errors.Is(err, ErrFieldCount) {
		t.Errorf("short row: %v, want ErrFieldCount", err)
	}
	if err := b.AddRow([]string{"1", "1"}); !errors.Is(err, ErrFieldCount) {
		t.Errorf("after an error: %v, want the same error", err)
	}
	for _, names := range [][]string{{"a", ""}, {"a", "a"}} {
		b, _ = NewBuilder(Options{}, func(c Chunk) error { return nil })
		if err := b.SetColumns(names); !errors.Is(err, ErrHeader) {
			t.Errorf("SetColumns(%q) = %v, want ErrHeader", names, err)
		}
	}
}
