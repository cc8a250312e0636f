package actors

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeRows feeds arbitrary bytes to the detect path's row decoder: it must never panic,
// and a decoded table is rectangular with one raw object per row.
func FuzzDecodeRows(f *testing.F) {
	for _, s := range []string{
		`[{"amount":100.5,"merchant":"grocery"},{"amount":5000,"merchant":"jewelry","extra":true}]`,
		`[{}]`, `[]`, `[1]`, `[{"a":{"b":1}}]`, `[{"a":[1]}]`, `[{"a":null,"b":"x"}]`, `{"a":1}`, `[{"a":1e999}]`,
		`[{"a":1,"a":2}]`, `[{"a":1,"b":"x","a":"s"},{"a":"t","a":2.5}]`, "[{\"\xff\":1}]", `[{"a":1}`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		table, raws, err := decodeRows(b)
		if err != nil {
			if err.Message == "" {
				t.Fatalf("decodeRows(%q): empty error message", b)
			}
			return
		}
		if len(raws) != len(table.Rows) {
			t.Fatalf("decodeRows(%q): %d raws for %d rows", b, len(raws), len(table.Rows))
		}
		for i, r := range table.Rows {
			if len(r) != len(table.Columns) {
				t.Fatalf("decodeRows(%q): row %d has %d cells for %d columns", b, i, len(r), len(table.Columns))
			}
			if !json.Valid(raws[i]) {
				t.Fatalf("decodeRows(%q): raw %d is not JSON", b, i)
			}
			// Each cell is the last value of its key, as encoding/json decodes the object.
			dec := json.NewDecoder(bytes.NewReader(raws[i]))
			dec.UseNumber()
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				t.Fatalf("decodeRows(%q): raw %d: %v", b, i, err)
			}
			for j, c := range table.Columns {
				if sv, isStr := r[j].(string); !utf8.ValidString(c) || isStr && !utf8.ValidString(sv) {
					continue // encoding/json replaces invalid UTF-8 with U+FFFD
				}
				if want, ok := m[c]; (ok || r[j] != nil) && !reflect.DeepEqual(r[j], want) {
					t.Fatalf("decodeRows(%q): row %d column %q = %#v, encoding/json says %#v", b, i, c, r[j], want)
				}
			}
		}
	})
}

// FuzzForEachResult feeds arbitrary stored values to the result-segment decoder: it must never
// panic, and every result it yields lies within maxSegmentSpan after the key's time.
func FuzzForEachResult(f *testing.F) {
	recs := []resultRecord{{at: 1795521600000000000, seq: 1, val: []byte(`{"is_anomaly":true}`)}, {at: 1795521600000000500, seq: 2, val: []byte(`{}`)}}
	_, vals := appendSegments(nil, nil, "d", recs)
	for _, v := range [][]byte{vals[0], []byte(`{"is_anomaly":false}`), {0}, {0, 1}, {0, 1, 0x80}} {
		f.Add(v)
	}
	suffix := []byte("1795521600000000000-000001")
	f.Fuzz(func(t *testing.T, v []byte) {
		_ = forEachResult(suffix, v, func(_ []byte, at int64, _ []byte) bool {
			if at < 1795521600000000000 || at > 1795521600000000000+maxSegmentSpan {
				t.Fatalf("forEachResult(%q): time %d outside the segment's span", v, at)
			}
			return true
		})
	})
}
