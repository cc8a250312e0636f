package dataset

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

// MustIngestJSON ingests a JSON array of rows and returns the schema and the
// chunks.
func MustIngestJSON(tb testing.TB, in string, opts Options) (*Schema, [][]byte) {
	tb.Helper()
	var chunks [][]byte
	s, err := IngestJSON(strings.NewReader(in), opts, func(c Chunk) error {
		chunks = append(chunks, c.Data)
		return nil
	})
	if err != nil {
		tb.Fatalf("ingest %s: %v", in, err)
	}
	return s, chunks
}

func TestReadJSONVaryingKeys(t *testing.T) {
	in := `[
	  {"amount": 100.0, "merchant": "grocery", "location": "NY"},
	  {"merchant": "jewelry", "amount": 5000, "vip": true},
	  {"location": null, "amount": "250", "at": "2024-05-01"},
	  {}
	]`
	s, chunks := MustIngestJSON(t, in, Options{ChunkRows: 2})
	var names []string
	for _, c := range s.Columns {
		names = append(names, c.Name)
	}
	if want := []string{"amount", "merchant", "location", "vip", "at"}; !reflect.DeepEqual(names, want) {
		t.Errorf("columns %q, want %q (first-seen order)", names, want)
	}
	types := map[string]Type{"amount": TypeFloat, "merchant": TypeString, "location": TypeString, "vip": TypeBool, "at": TypeTimestamp}
	missing := map[string]int{"amount": 1, "merchant": 2, "location": 3, "vip": 3, "at": 3}
	for _, c := range s.Columns {
		if c.Type != types[c.Name] || c.Missing != missing[c.Name] {
			t.Errorf("%s: type %v, %d missing; want %v, %d", c.Name, c.Type, c.Missing, types[c.Name], missing[c.Name])
		}
	}
	// The first chunk was written before vip and at existed: its rows are
	// shorter, and read back as missing there.
	rows, _ := DecodeChunk(chunks[0])
	if want := [][]string{{"100.0", "grocery", "NY"}, {"5000", "jewelry", "", "true"}}; !reflect.DeepEqual(rows, want) {
		t.Errorf("chunk 0 = %q, want %q", rows, want)
	}
	sample, err := s.Sample(loader(chunks), 10)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(sample)
	want := `[{"amount":100,"merchant":"grocery","location":"NY","vip":null,"at":null},` +
		`{"amount":5000,"merchant":"jewelry","location":null,"vip":true,"at":null},` +
		`{"amount":250,"merchant":null,"location":null,"vip":null,"at":"2024-05-01"},` +
		`{"amount":null,"merchant":null,"location":null,"vip":null,"at":null}]`
	if string(got) != want {
		t.Errorf("sample =\n%s\nwant\n%s", got, want)
	}
}

func TestReadJSONErrors(t *testing.T) {
	f := func(name, in string, opts Options, want error, row int, key, msg string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			_, err := IngestJSON(strings.NewReader(in), opts, func(Chunk) error { return nil })
			if !errors.Is(err, want) {
				t.Fatalf("ingest %s: %v, want %v", in, err, want)
			}
			var pe *ParseError
			if errors.As(err, &pe) && (pe.Row != row || pe.Column != key || pe.Line != 0) {
				t.Errorf("ingest %s: %v: row %d key %q, want %d %q", in, err, pe.Row, pe.Column, row, key)
			}
			if !strings.Contains(err.Error(), msg) {
				t.Errorf("ingest %s: %q, want it to contain %q", in, err, msg)
			}
		})
	}
	f("Nested", `[{"a": 1}, {"a": 2, "b": {"c": 1}}]`, Options{}, ErrJSON, 1, "b", `row 1: key "b": bad JSON rows: nested object`)
	f("NestedArray", `[{"a": [1, 2]}]`, Options{}, ErrJSON, 0, "a", "nested array")
	f("DuplicateKey", `[{"a": 1, "a": 2}]`, Options{}, ErrJSON, 0, "a", "duplicate key")
	f("EmptyKey", `[{"": 1}]`, Options{}, ErrJSON, 0, "", "empty key")
	f("NotObject", `[{"a": 1}, 5]`, Options{}, ErrJSON, 1, "", "want an object, got number")
	f("NotArray", `{"a": 1}`, Options{}, ErrJSON, 0, "", "want an array of objects, got object")
	f("Truncated", `[{"a": 1}, {"a":`, Options{}, ErrJSON, 1, "", "unexpected EOF")
	f("Trailing", `[{"a": 1}] [`, Options{}, ErrJSON, 1, "", "data after the array")
	f("Syntax", `[{"a": tru}]`, Options{}, ErrJSON, 0, "", "invalid character")
	f("HugeNumber", `[{"a": 1e999}]`, Options{}, ErrJSON, 0, "a", "out of range")
	f("Empty", `[]`, Options{}, ErrNoRows, 0, "", "no data rows")
	f("LabelAbsent", `[{"x": 1, "y": true}, {"x": 2}]`, Options{LabelColumn: "y"}, ErrLabel, 1, "y", `row 1: key "y": bad label: missing`)
	f("LabelNeverSeen", `[{"x": 1}]`, Options{LabelColumn: "y"}, ErrLabel, 0, "y", "missing")
	f("LabelBad", `[{"y": 0}, {"y": 2}]`, Options{LabelColumn: "y"}, ErrLabel, 1, "y", `"2" is not one of`)

	_, err := IngestJSON(strings.NewReader(`[{"a":1},{"b":1},{"c":1}]`), Options{MaxColumns: 2}, func(Chunk) error { return nil })
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitColumns || le.Row != 2 || err.Error() != "input exceeds max_columns (2) at row 2" {
		t.Errorf("MaxColumns: %v", err)
	}
	_, err = IngestJSON(strings.NewReader(`[{"a":"12345"}]`), Options{MaxFieldBytes: 4}, func(Chunk) error { return nil })
	if !errors.As(err, &le) || le.Limit != LimitFieldBytes {
		t.Errorf("MaxFieldBytes: %v", err)
	}
}

func TestAddMap(t *testing.T) {
	var chunks [][]byte
	b, err := NewBuilder(Options{LabelColumn: "label"}, func(c Chunk) error { chunks = append(chunks, c.Data); return nil })
	if err != nil {
		t.Fatal(err)
	}
	rows := []map[string]any{
		{"z": 1.0, "a": "x", "label": false},
		{"a": "y", "n": json.Number("2.5"), "i": int64(7), "label": "anomaly"},
		{"z": 2.5, "label": 1},
	}
	for _, r := range rows {
		if err := b.AddMap(r); err != nil {
			t.Fatal(err)
		}
	}
	s, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range s.Columns {
		names = append(names, c.Name+":"+c.Type.String())
	}
	if want := []string{"a:string", "label:string", "z:float", "i:int", "n:float"}; !reflect.DeepEqual(names, want) {
		t.Errorf("columns %q, want %q (sorted within a row)", names, want)
	}
	if s.Label == nil || s.Label.Anomalies != 2 || s.Label.Column != 1 {
		t.Errorf("label %+v, want column 1 with 2 anomalies", s.Label)
	}
	for _, bad := range []map[string]any{{"a": map[string]any{}}, {"a": []any{1}}, {"a": struct{}{}}, {"label": 0, "f": math.Inf(1)}, {"f": math.NaN()}} {
		b, _ := NewBuilder(Options{}, func(Chunk) error { return nil })
		if err := b.AddMap(bad); !errors.Is(err, ErrJSON) {
			t.Errorf("AddMap(%v) = %v, want ErrJSON", bad, err)
		}
	}
}
