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
