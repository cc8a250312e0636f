package dataset

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

var csvSeeds = []string{
	"a,b\n1,2\n3,4\n",
	"\xef\xbb\xbfid,amount,merchant,at,is_fraud\r\n1,12.5,grocery,2024-01-01T10:00:00Z,0\r\n2,,\"fuel, station\",2024-01-02 11:00:00,1\r\n",
	"a,b\n\"multi\nline\",\"esc \"\"q\"\"\"\n",
	"a,b\n 1 , \" x \" \n\n\n",
	"a,b\n1,2,3\n",
	"a,a\n1,2\n",
	"a,b\n1,x\"y\n",
	"a,b\n1,\"open\n",
	"a,b\n1,\"x\"y\n",
	"a\r\n1\r",
	"a\n1\r2\n",
	"", "\n", "\"", "\"\"", ",", "a,b\n,\n", "x;y\n1;2\n",
	"n,t,b\n1,2024-01-01,true\n2.5,2024-01-02 03:04:05,FALSE\nNA,,True\n",
}

// FuzzCSVReader checks the CSV parser against encoding/csv (with KeepSpace,
// both must agree on records and on failing), and checks that whatever
// ingests converts to a detect.Table and JSON samples without error.
func FuzzCSVReader(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		want, wantErr := stdCSV(in)
		got, gotErr := rawRecords(data)
		if (wantErr != nil) != (gotErr != nil) {
			t.Fatalf("%q: error %v, encoding/csv %v", data, gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: records %q, encoding/csv %q", data, got, want)
		}
		checkIngest(t, data, func(emit func(Chunk) error) (*Schema, error) {
			return IngestCSV(bytes.NewReader(data), Options{ChunkRows: 3, MaxUnique: 4, MaxFieldBytes: 64}, emit)
		})
	})
}

// stdCSV returns the records encoding/csv reads before its first error.
func stdCSV(data []byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	var recs [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

// rawRecords returns the records our parser reads, KeepSpace, without the
// header rules or limits, before its first error.
func rawRecords(data []byte) ([][]string, error) {
	r, err := NewCSVReader(bytes.NewReader(data), Options{KeepSpace: true, MaxFieldBytes: 1 << 30, MaxRecordBytes: 1 << 30})
	if err != nil {
		return nil, err
	}
	r.keep = 1 << 30
	var recs [][]string
	for {
		n, err := r.readRecord()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		rec := make([]string, n)
		for i, f := range r.fields {
			rec[i] = string(f)
		}
		recs = append(recs, rec)
	}
}

// checkIngest runs ingest and, if it succeeds, reads every row back as a
// table and as JSON: inference must make every stored cell convertible.
func checkIngest(t *testing.T, data []byte, ingest func(emit func(Chunk) error) (*Schema, error)) {
	t.Helper()
	var chunks [][]byte
	s, err := ingest(func(c Chunk) error {
		if c.Index != len(chunks) {
			t.Fatalf("%q: chunk %d emitted as %d", data, len(chunks), c.Index)
		}
		chunks = append(chunks, c.Data)
		return nil
	})
	if err != nil {
		var pe *ParseError
		var le *LimitError
		if !errors.As(err, &pe) && !errors.As(err, &le) && !errors.Is(err, ErrNoHeader) && !errors.Is(err, ErrNoRows) {
			t.Fatalf("%q: unexpected error type %T: %v", data, err, err)
		}
		return
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("%q: %v", data, err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("%q: marshal schema: %v", data, err)
	}
	var back Schema
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%q: unmarshal schema: %v", data, err)
	}
	load := func(i int) ([]byte, error) { return chunks[i], nil }
	tab, labels, err := back.Table(load, nil)
	if err != nil {
		t.Fatalf("%q: table: %v", data, err)
	}
	if len(tab.Rows) != s.Rows || (s.Label != nil) != (labels != nil) {
		t.Fatalf("%q: table has %d rows, labels %v; want %d rows", data, len(tab.Rows), labels != nil, s.Rows)
	}
	sample, err := back.Sample(load, 5)
	if err != nil {
		t.Fatalf("%q: sample: %v", data, err)
	}
	for _, r := range sample {
		if !json.Valid(r) {
			t.Fatalf("%q: invalid sample JSON %s", data, r)
		}
	}
}

var jsonSeeds = []string{
	`[{"amount": 100.0, "merchant": "grocery", "location": "NY"}, {"amount": 5000.0, "merchant": "jewelry", "location": "FL"}]`,
	`[{"a": 1}, {"b": "x"}, {"a": null, "b": true, "c": "2024-01-01"}]`,
	`[{"a": {"nested": 1}}]`, `[{"a": [1]}]`, `[{"a": 1, "a": 2}]`, `[1]`, `{}`, `[]`, `[{}]`,
	`[{"a": 1e999}]`, `[{"": 1}]`, `[{"a": 1}] x`, `[{"a": "1"}, {"a": "x"}]`, `[{"label": "yes", "x": 1}]`,
}

// FuzzJSONRows checks that ReadJSON fails on what encoding/json rejects,
// agrees on the row count, and that whatever ingests reads back.
func FuzzJSONRows(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var rows int
		s, err := IngestJSON(bytes.NewReader(data), Options{}, func(c Chunk) error { rows += c.Rows; return nil })
		if err == nil {
			var objs []map[string]any
			if jerr := json.Unmarshal(data, &objs); jerr != nil {
				t.Fatalf("%q: ingested %d rows, encoding/json: %v", data, s.Rows, jerr)
			}
			if len(objs) != s.Rows || rows != s.Rows {
				t.Fatalf("%q: %d rows (%d in chunks), encoding/json %d", data, s.Rows, rows, len(objs))
			}
		}
		checkIngest(t, data, func(emit func(Chunk) error) (*Schema, error) {
			return IngestJSON(bytes.NewReader(data), Options{ChunkRows: 2, LabelColumn: "label"}, emit)
		})
	})
}

// FuzzDecodeChunk checks that DecodeChunk never panics and that what it
// decodes encodes back to the same rows.
func FuzzDecodeChunk(f *testing.F) {
	f.Add(EncodeChunk([][]string{{"1", "", "x"}, {}, {"long text, with \"quotes\""}}))
	f.Add([]byte{1, 0})
	f.Add([]byte{1, 200, 1})
	f.Add([]byte{2, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := DecodeChunk(data)
		if err != nil {
			if !errors.Is(err, ErrChunk) || !strings.HasPrefix(err.Error(), "decode chunk: ") {
				t.Fatalf("%x: error %v", data, err)
			}
			return
		}
		again, err := DecodeChunk(EncodeChunk(rows))
		if err != nil || !reflect.DeepEqual(normalize(again), normalize(rows)) {
			t.Fatalf("%x: round trip %q, %v; want %q", data, again, err, rows)
		}
	})
}

// normalize maps empty rows to nil for comparison.
func normalize(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		if len(r) > 0 {
			out[i] = r
		}
	}
	return out
}
