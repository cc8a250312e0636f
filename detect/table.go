package detect

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Table is the input of Fit and Score: named columns and rows of cells, each
// row holding one cell per column in the order of Columns.
//
// A cell is a number (float64, float32, any int or uint type, json.Number), a
// bool (true = 1, false = 0), a string, or nil for a missing value. NaN and
// ±Inf are rejected with an error naming the row and column.
type Table struct {
	Columns []string
	Rows    [][]any
}

// ErrEmpty is returned (wrapped) by Fit and Score when the table has no rows,
// and by Fit when it has no feature columns.
var ErrEmpty = errors.New("empty input")

// cellKind classifies a cell.
type cellKind uint8

const (
	cellMissing cellKind = iota
	cellNumber
	cellString
)

// readCell classifies v without allocating. A number is returned in f, a
// string in s.
func readCell(v any) (k cellKind, f float64, s string, err error) {
	switch x := v.(type) {
	case nil:
		return cellMissing, 0, "", nil
	case float64:
		f = x
	case float32:
		f = float64(x)
	case int:
		f = float64(x)
	case int8:
		f = float64(x)
	case int16:
		f = float64(x)
	case int32:
		f = float64(x)
	case int64:
		f = float64(x)
	case uint:
		f = float64(x)
	case uint8:
		f = float64(x)
	case uint16:
		f = float64(x)
	case uint32:
		f = float64(x)
	case uint64:
		f = float64(x)
	case bool:
		if x {
			f = 1
		}
	case json.Number:
		var perr error
		f, perr = strconv.ParseFloat(string(x), 64)
		if perr != nil {
			return 0, 0, "", fmt.Errorf("bad number %q", string(x))
		}
	case string:
		return cellString, 0, x, nil
	default:
		return 0, 0, "", fmt.Errorf("unsupported cell type %T", v)
	}
	if math.IsNaN(f) {
		return 0, 0, "", errors.New("NaN is not allowed (use nil for a missing value)")
	}
	if math.IsInf(f, 0) {
		return 0, 0, "", errors.New("infinite value is not allowed")
	}
	return cellNumber, f, "", nil
}

// checkShape validates column names and row lengths.
func (t Table) checkShape() error {
	if len(t.Rows) == 0 {
		return fmt.Errorf("%w: no rows", ErrEmpty)
	}
	if len(t.Columns) <= 32 { // pairwise: no map to allocate on the single-row path
		for i, c := range t.Columns {
			for _, e := range t.Columns[:i] {
				if e == c {
					return fmt.Errorf("duplicate column %q", c)
				}
			}
		}
	} else {
		seen := make(map[string]bool, len(t.Columns))
		for _, c := range t.Columns {
			if seen[c] {
				return fmt.Errorf("duplicate column %q", c)
			}
			seen[c] = true
		}
	}
	for i, r := range t.Rows {
		if len(r) != len(t.Columns) {
			return fmt.Errorf("row %d has %d cells, want %d (one per column)", i, len(r), len(t.Columns))
		}
	}
	return nil
}
