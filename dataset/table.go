package dataset

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/topoforge/topoforge/detect"
)

// maxInterned bounds the distinct strings per column that Table shares
// between rows; rarer values get their own copy.
const maxInterned = 4096

// Table returns the dataset rows listed in rows (0-based row numbers, in the
// order wanted; nil means every row in order) as a detect.Table of the
// features, with the labels aligned (nil when the schema has no label). load
// returns the encoded chunk of the given index, as emitted by the Builder;
// each chunk is loaded once when rows are ascending.
//
// Cells are typed by the schema: int, float and timestamp columns give
// float64 (timestamps as Unix seconds, fractional), bool columns bool, string
// columns string, and missing cells nil. It returns an error wrapping
// ErrChunk for stored data that does not match the schema, and an error for a
// row number out of range.
func (s *Schema) Table(load func(chunk int) ([]byte, error), rows []int) (detect.Table, []bool, error) {
	var t detect.Table
	if err := s.Validate(); err != nil {
		return t, nil, err
	}
	feats := make([]int, 0, len(s.Columns))
	for j, f := range s.Columns {
		if !s.isLabel(j) {
			feats = append(feats, j)
			t.Columns = append(t.Columns, f.Name)
		}
	}
	n := s.Rows
	if rows != nil {
		n = len(rows)
	}
	var labels []bool
	if s.Label != nil {
		labels = make([]bool, 0, n)
	}
	t.Rows = make([][]any, 0, n)
	intern := make([]map[string]any, len(s.Columns))
	var block []any // cells of the next rows, allocated in blocks
	r := s.newRowReader(load)
	for i := 0; i < n; i++ {
		g := i
		if rows != nil {
			g = rows[i]
		}
		raw, err := r.row(g)
		if err != nil {
			return detect.Table{}, nil, err
		}
		if len(block) < len(feats) {
			block = make([]any, len(feats)*min(max(n-i, 1), 1024))
		}
		cells := block[:len(feats):len(feats)]
		block = block[len(feats):]
		for k, j := range feats {
			v, err := s.value(j, cellAt(raw, j), false)
			if err != nil {
				return detect.Table{}, nil, fmt.Errorf("table: row %d: %w", g, err)
			}
			if str, ok := v.(string); ok {
				v = internString(&intern[j], str)
			}
			cells[k] = v
		}
		t.Rows = append(t.Rows, cells)
		if s.Label != nil {
			a, ok := ParseLabel(cellAt(raw, s.Label.Column))
			if !ok {
				return detect.Table{}, nil, fmt.Errorf("table: row %d: %w: bad label %q", g, ErrChunk, cellAt(raw, s.Label.Column))
			}
			labels = append(labels, a)
		}
	}
	return t, labels, nil
}

// internString returns str boxed, copied out of its chunk, and shared with
// earlier rows while the column has few distinct values.
func internString(m *map[string]any, str string) any {
	if v, ok := (*m)[str]; ok {
		return v
	}
	v := any(strings.Clone(str))
	if *m == nil {
		*m = make(map[string]any)
	}
	if len(*m) < maxInterned {
		(*m)[v.(string)] = v
	}
	return v
}

// cellAt returns raw[j], or "" (missing) past the end of a short row.
func cellAt(raw []string, j int) string {
	if j < len(raw) {
		return raw[j]
	}
	return ""
}

// value converts the raw text of column j. In JSON mode, int cells stay
// int64, timestamps stay text and the label column is a bool.
func (s *Schema) value(j int, text string, forJSON bool) (any, error) {
	if text == "" {
		return nil, nil
	}
	if forJSON && s.isLabel(j) {
		a, ok := ParseLabel(text)
		if !ok {
			return nil, fmt.Errorf("%w: bad label %q", ErrChunk, text)
		}
		return a, nil
	}
	f := s.Columns[j]
	t := trimSpace(text)
	switch f.Type {
	case TypeInt, TypeFloat:
		kind, i, x := parseNumber(t)
		if kind == notNumber {
			break
		}
		if forJSON && kind == isInt && f.Type == TypeInt {
			return i, nil
		}
		return x, nil
	case TypeBool:
		if v, ok := parseBool(t); ok {
			return v, nil
		}
	case TypeTimestamp:
		if forJSON {
			return t, nil
		}
		if sec, nsec, ok := parseTimestamp(t); ok {
			return float64(sec) + float64(nsec)/1e9, nil
		}
	case TypeString:
		return text, nil
	}
	return nil, fmt.Errorf("%w: column %q: %q is not %s", ErrChunk, f.Name, t, f.Type)
}

// rowReader finds rows in chunks, keeping the last decoded chunk.
type rowReader struct {
	s      *Schema
	load   func(int) ([]byte, error)
	starts []int // first row of each chunk, then s.Rows
	chunk  int   // index of rows, -1 if none
	rows   [][]string
}

func (s *Schema) newRowReader(load func(int) ([]byte, error)) *rowReader {
	starts := make([]int, len(s.ChunkSizes)+1)
	for i, c := range s.ChunkSizes {
		starts[i+1] = starts[i] + c
	}
	return &rowReader{s: s, load: load, starts: starts, chunk: -1}
}

// row returns the raw cells of row g.
func (r *rowReader) row(g int) ([]string, error) {
	if g < 0 || g >= r.s.Rows {
		return nil, fmt.Errorf("row %d out of range [0, %d)", g, r.s.Rows)
	}
	if r.chunk < 0 || g < r.starts[r.chunk] || g >= r.starts[r.chunk+1] {
		k := sort.SearchInts(r.starts, g+1) - 1
		data, err := r.load(k)
		if err != nil {
			return nil, fmt.Errorf("load chunk %d: %w", k, err)
		}
		rows, err := DecodeChunk(data)
		if err != nil {
			return nil, fmt.Errorf("chunk %d: %w", k, err)
		}
		if len(rows) != r.s.ChunkSizes[k] {
			return nil, fmt.Errorf("chunk %d: %w: %d rows, want %d", k, ErrChunk, len(rows), r.s.ChunkSizes[k])
		}
		r.chunk, r.rows = k, rows
	}
	raw := r.rows[g-r.starts[r.chunk]]
	if len(raw) > len(r.s.Columns) {
		return nil, fmt.Errorf("row %d: %w: %d cells, want at most %d", g, ErrChunk, len(raw), len(r.s.Columns))
	}
	return raw, nil
}

// AppendJSON appends raw, the cells of one row of a decoded chunk, as a JSON
// object with every column (label included) in column order:
// {"amount":100.5,"count":3,"merchant":"grocery","at":"2024-01-01","is_fraud":false}.
// Ints are JSON integers, floats numbers, bools and the label true or false,
// strings and timestamps their text, and missing cells null. It returns an
// error wrapping ErrChunk if a cell does not match its column's type.
func (s *Schema) AppendJSON(dst []byte, raw []string) ([]byte, error) {
	if len(raw) > len(s.Columns) {
		return dst, fmt.Errorf("append json: %w: %d cells, want at most %d", ErrChunk, len(raw), len(s.Columns))
	}
	dst = append(dst, '{')
	for j, f := range s.Columns {
		if j > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONValue(dst, f.Name)
		dst = append(dst, ':')
		v, err := s.value(j, cellAt(raw, j), true)
		if err != nil {
			return dst, fmt.Errorf("append json: %w", err)
		}
		dst = appendJSONValue(dst, v)
	}
	return append(dst, '}'), nil
}

// appendJSONValue appends v, a nil, bool, int64, finite float64 or string.
func appendJSONValue(dst []byte, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil { // not reached for these types
		return append(dst, "null"...)
	}
	return append(dst, b...)
}

// Sample returns the first min(limit, Rows) rows as JSON objects (see
// AppendJSON), for GET /datasets/{id}/sample, loading only the chunks needed.
func (s *Schema) Sample(load func(chunk int) ([]byte, error), limit int) ([]json.RawMessage, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	limit = max(0, min(limit, s.Rows))
	out := make([]json.RawMessage, 0, limit)
	r := s.newRowReader(load)
	for g := 0; g < limit; g++ {
		raw, err := r.row(g)
		if err != nil {
			return nil, fmt.Errorf("sample: %w", err)
		}
		b, err := s.AppendJSON(nil, raw)
		if err != nil {
			return nil, fmt.Errorf("sample: row %d: %w", g, err)
		}
		out = append(out, b)
	}
	return out, nil
}

// Split partitions the row numbers 0..n-1 for a validation split: valid gets
// round(n × fraction) rows, the last ones of a shuffle seeded by seed, train
// the others; both are returned in ascending order. The shuffle is a
// Fisher–Yates driven by SplitMix64, so a seed gives the same split on every
// platform and Go version. Split panics if n < 0 or fraction is not in
// [0, 1].
func Split(n int, fraction float64, seed int64) (train, valid []int) {
	if n < 0 || !(fraction >= 0 && fraction <= 1) {
		panic(fmt.Sprintf("dataset: Split(%d, %v): want n >= 0 and fraction in [0, 1]", n, fraction))
	}
	k := int(math.Round(fraction * float64(n)))
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	rng := splitMix64(uint64(seed))
	for i := n - 1; i > 0; i-- {
		j := int(rng.below(uint64(i + 1)))
		perm[i], perm[j] = perm[j], perm[i]
	}
	train, valid = perm[:n-k:n-k], perm[n-k:]
	slices.Sort(train)
	slices.Sort(valid)
	return train, valid
}

// splitMix64 is Steele, Lea and Flood's SplitMix64 generator.
type splitMix64 uint64

func (s *splitMix64) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// below returns a uniform integer in [0, n), n > 0, by rejection.
func (s *splitMix64) below(n uint64) uint64 {
	limit := math.MaxUint64 - math.MaxUint64%n
	for {
		if v := s.next(); v < limit {
			return v % n
		}
	}
}
