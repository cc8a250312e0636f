package dataset

import (
	"fmt"
	"unicode/utf8"
)

// Defaults used for zero Options fields. Each bounds the memory one ingestion
// may use; together they bound it to about ChunkBytes + MaxRecordBytes +
// MaxColumns × MaxUnique × 16 bytes, whatever the input size.
const (
	// DefaultMaxRows bounds the number of data rows of a dataset.
	DefaultMaxRows = 1_000_000
	// DefaultMaxColumns bounds the number of columns, label included.
	DefaultMaxColumns = 1_000
	// DefaultMaxFieldBytes bounds the bytes of one cell (after CSV unquoting)
	// and of one JSON key or string.
	DefaultMaxFieldBytes = 64 << 10
	// DefaultMaxRecordBytes bounds the bytes of one row's cells.
	DefaultMaxRecordBytes = 1 << 20
	// DefaultChunkRows bounds the rows of one stored chunk.
	DefaultChunkRows = 2048
	// DefaultChunkBytes bounds the encoded size of one stored chunk: a chunk
	// is closed once it reaches this size, so it exceeds it by at most one row.
	DefaultChunkBytes = 1 << 20
	// DefaultMaxUnique bounds the distinct values counted per column; beyond
	// it Feature.UniqueValues reports the cap and UniqueCapped is set.
	DefaultMaxUnique = 10_000
)

// DefaultNullValues returns the cell texts read as missing, besides empty and
// white-space cells, when Options.NullValues is nil: "NA", "N/A", "n/a",
// "NaN", "nan", "NULL", "null", "None" and "#N/A" (pandas' defaults minus
// the rare ones). The slice is new at each call.
func DefaultNullValues() []string {
	return []string{"NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "None", "#N/A"}
}

// Options configures ingestion. The zero value is valid and selects every
// default; a negative limit is an error naming the field.
type Options struct {
	// LabelColumn names the column holding ground-truth labels, "" for none.
	// It is kept out of the features; its cells must be accepted by
	// ParseLabel. It must exist in the CSV header / in every JSON row.
	LabelColumn string

	// MaxRows bounds the data rows; 0 means DefaultMaxRows.
	MaxRows int
	// MaxColumns bounds the columns, label included; 0 means
	// DefaultMaxColumns.
	MaxColumns int
	// MaxFieldBytes bounds one cell, JSON key or header name in bytes; 0
	// means DefaultMaxFieldBytes.
	MaxFieldBytes int
	// MaxRecordBytes bounds one row's cells in bytes; 0 means
	// DefaultMaxRecordBytes.
	MaxRecordBytes int

	// ChunkRows bounds the rows per stored chunk; 0 means DefaultChunkRows.
	ChunkRows int
	// ChunkBytes closes a chunk once its encoding reaches this many bytes; 0
	// means DefaultChunkBytes.
	ChunkBytes int
	// MaxUnique bounds the distinct values counted per column; 0 means
	// DefaultMaxUnique.
	MaxUnique int

	// NullValues lists cell texts (compared after trimming spaces) read as
	// missing besides the empty text; nil means DefaultNullValues() and an
	// empty non-nil slice means none.
	NullValues []string

	// Comma is the CSV field separator; 0 means ','. It must be an ASCII
	// character other than '"', '\r' and '\n'.
	Comma rune
	// KeepSpace keeps the spaces and tabs around unquoted CSV fields; by
	// default they are trimmed, and spaces around a quoted field are
	// allowed and dropped (the quoted text itself is kept as is). Header
	// names are always trimmed.
	KeepSpace bool
}

// withDefaults validates o and fills its defaults.
func (o Options) withDefaults() (Options, error) {
	limits := []struct {
		name string
		v    *int
		def  int
	}{
		{"max_rows", &o.MaxRows, DefaultMaxRows},
		{"max_columns", &o.MaxColumns, DefaultMaxColumns},
		{"max_field_bytes", &o.MaxFieldBytes, DefaultMaxFieldBytes},
		{"max_record_bytes", &o.MaxRecordBytes, DefaultMaxRecordBytes},
		{"chunk_rows", &o.ChunkRows, DefaultChunkRows},
		{"chunk_bytes", &o.ChunkBytes, DefaultChunkBytes},
		{"max_unique", &o.MaxUnique, DefaultMaxUnique},
	}
	for _, l := range limits {
		if *l.v < 0 {
			return o, fmt.Errorf("options: %s is %d, want >= 0", l.name, *l.v)
		}
		if *l.v == 0 {
			*l.v = l.def
		}
	}
	if o.Comma == 0 {
		o.Comma = ','
	}
	if o.Comma >= utf8.RuneSelf || o.Comma == '"' || o.Comma == '\r' || o.Comma == '\n' {
		return o, fmt.Errorf("options: comma %q is not an ASCII separator", o.Comma)
	}
	if o.NullValues == nil {
		o.NullValues = DefaultNullValues()
	}
	return o, nil
}
