package dataset

import (
	"encoding/binary"
	"fmt"
)

// ChunkVersion is the version byte that starts every encoded chunk.
const ChunkVersion = 1

// Chunk is a run of consecutive rows encoded for the store, as emitted by a
// Builder. Every chunk but the last of a dataset holds Options.ChunkRows rows
// unless closed early by Options.ChunkBytes; Schema.ChunkSizes records them.
type Chunk struct {
	// Index is the 0-based chunk number within the dataset.
	Index int
	// FirstRow is the 0-based number of the chunk's first row.
	FirstRow int
	// Rows is the number of rows in the chunk.
	Rows int
	// Data is the encoded chunk (see AppendChunk). It is never reused by
	// the Builder, so the receiver may keep it.
	Data []byte
}

// AppendChunk appends to dst the encoding of rows and returns the extended
// slice. Each cell is a cell's raw text, "" meaning missing; rows may have
// different lengths. The encoding is deterministic and versioned:
//
//	chunk = version:byte(1) rows:uvarint row*
//	row   = cells:uvarint cell*
//	cell  = len:uvarint bytes[len]   (len 0 = missing)
func AppendChunk(dst []byte, rows [][]string) []byte {
	dst = append(dst, ChunkVersion)
	dst = binary.AppendUvarint(dst, uint64(len(rows)))
	for _, row := range rows {
		dst = binary.AppendUvarint(dst, uint64(len(row)))
		for _, cell := range row {
			dst = binary.AppendUvarint(dst, uint64(len(cell)))
			dst = append(dst, cell...)
		}
	}
	return dst
}

// EncodeChunk returns the encoding of rows; see AppendChunk.
func EncodeChunk(rows [][]string) []byte { return AppendChunk(nil, rows) }

// DecodeChunk decodes a chunk written by AppendChunk or a Builder. Cells are
// raw texts, "" for missing; a row holds the cells it was written with, which
// may be fewer than the schema's columns (the rest are missing). All cells
// share one string built from data, so data may be reused afterwards. A
// malformed chunk returns an error wrapping ErrChunk.
func DecodeChunk(data []byte) ([][]string, error) {
	if len(data) == 0 || data[0] != ChunkVersion {
		if len(data) == 0 {
			return nil, fmt.Errorf("decode chunk: %w: empty", ErrChunk)
		}
		return nil, fmt.Errorf("decode chunk: %w: unknown version %d", ErrChunk, data[0])
	}
	s := string(data) // one copy; cells are substrings of it
	p := 1
	next := func() (int, bool) {
		v, n := binary.Uvarint(data[p:])
		if n <= 0 || v > uint64(len(data)-p-n) {
			return 0, false
		}
		p += n
		return int(v), true
	}
	nrows, ok := next()
	if !ok {
		return nil, fmt.Errorf("decode chunk: %w: bad row count", ErrChunk)
	}
	rows := make([][]string, nrows) // nrows <= len(data): next bounds it
	var cells []string
	for i := range rows {
		ncells, ok := next()
		if !ok {
			return nil, fmt.Errorf("decode chunk: %w: row %d: bad cell count", ErrChunk, i)
		}
		if cap(cells)-len(cells) < ncells {
			cells = make([]string, 0, max(ncells, min(ncells*(nrows-i), len(data)-p)))
		}
		start := len(cells)
		for j := 0; j < ncells; j++ {
			n, ok := next()
			if !ok {
				return nil, fmt.Errorf("decode chunk: %w: row %d cell %d: truncated", ErrChunk, i, j)
			}
			cells = append(cells, s[p:p+n])
			p += n
		}
		rows[i] = cells[start:len(cells):len(cells)]
	}
	if p != len(data) {
		return nil, fmt.Errorf("decode chunk: %w: %d trailing bytes", ErrChunk, len(data)-p)
	}
	return rows, nil
}
