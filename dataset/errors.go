package dataset

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors. Each is returned wrapped, usually inside a *ParseError that
// says where it happened; test with errors.Is.
var (
	// ErrNoHeader is returned by CSV ingestion when the input is empty or
	// holds only a byte-order mark and blank lines.
	ErrNoHeader = errors.New("empty input: no header")

	// ErrNoRows is returned by Builder.Finish when no data row was added.
	ErrNoRows = errors.New("no data rows")

	// ErrHeader is returned for a CSV header with an empty or duplicate column
	// name, and when Options.LabelColumn names no column.
	ErrHeader = errors.New("bad header")

	// ErrFieldCount is returned for a CSV record whose number of fields
	// differs from the header's.
	ErrFieldCount = errors.New("wrong number of fields")

	// ErrQuote is returned for a quoted CSV field that is not closed, or whose
	// closing quote is followed by something other than a separator.
	ErrQuote = errors.New(`extraneous or missing " in quoted field`)

	// ErrBareQuote is returned for a quote inside a non-quoted CSV field.
	ErrBareQuote = errors.New(`bare " in non-quoted field`)

	// ErrLabel is returned for a label cell that is missing or not one of the
	// accepted label values (see ParseLabel).
	ErrLabel = errors.New("bad label")

	// ErrJSON is returned for JSON rows that are not an array of flat
	// objects: a nested object or array, a duplicate key, a non-object row,
	// a non-finite number or malformed JSON.
	ErrJSON = errors.New("bad JSON rows")

	// ErrChunk is returned by DecodeChunk and Schema methods for stored data
	// that does not decode (a truncated or foreign value, an unknown version).
	ErrChunk = errors.New("corrupt chunk")
)

// ParseError reports bad input and where it is. HTTP handlers answer it with
// 400 or 422 and may copy Line, Row and Column into the error details.
type ParseError struct {
	// Line is the 1-based CSV line where the problem was found (the first
	// line of the record for ErrFieldCount); 0 for JSON rows.
	Line int
	// Row is the 0-based data row: the index in the JSON array, or the
	// record number after the CSV header. -1 for the header itself.
	Row int
	// Column is the column name or JSON key, when known.
	Column string
	// Err is the cause; it wraps one of the sentinel errors.
	Err error
}

// Error formats the error as `line 7: column "x": cause` for CSV,
// `row 3: key "x": cause` for JSON rows and `header: column "x": cause` for
// SetColumns.
func (e *ParseError) Error() string {
	var b []byte
	switch {
	case e.Line > 0:
		b = append(b, "line "...)
		b = strconv.AppendInt(b, int64(e.Line), 10)
	case e.Row >= 0:
		b = append(b, "row "...)
		b = strconv.AppendInt(b, int64(e.Row), 10)
	default:
		b = append(b, "header"...)
	}
	if e.Column != "" {
		if e.Line == 0 && e.Row >= 0 {
			b = append(b, ": key "...)
		} else {
			b = append(b, ": column "...)
		}
		b = strconv.AppendQuote(b, e.Column)
	}
	b = append(b, ": "...)
	b = append(b, e.Err.Error()...)
	return string(b)
}

// Unwrap returns Err.
func (e *ParseError) Unwrap() error { return e.Err }

// Limit names, as found in LimitError.Limit. They match the Options fields.
const (
	LimitRows        = "max_rows"         // Options.MaxRows
	LimitColumns     = "max_columns"      // Options.MaxColumns
	LimitFieldBytes  = "max_field_bytes"  // Options.MaxFieldBytes
	LimitRecordBytes = "max_record_bytes" // Options.MaxRecordBytes
)

// LimitError is returned when the input exceeds one of the Options limits.
// HTTP handlers answer it with 413 (or 422) naming Limit.
type LimitError struct {
	// Limit is one of LimitRows, LimitColumns, LimitFieldBytes and
	// LimitRecordBytes.
	Limit string
	// Value is the configured limit that was exceeded.
	Value int
	// Line is the 1-based CSV line where it was exceeded, 0 for JSON rows
	// or when not known.
	Line int
	// Row is the 0-based data row where it was exceeded, -1 for the header.
	Row int
}

// Error formats the error as "input exceeds max_rows (1000000) at line 7".
func (e *LimitError) Error() string {
	s := fmt.Sprintf("input exceeds %s (%d)", e.Limit, e.Value)
	switch {
	case e.Line > 0:
		s += fmt.Sprintf(" at line %d", e.Line)
	case e.Row >= 0:
		s += fmt.Sprintf(" at row %d", e.Row)
	}
	return s
}
