package dataset

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Builder ingests rows in one pass: it infers column types, gathers
// statistics and validates labels while encoding the rows into chunks, which
// it hands to an emit function as they fill. Memory stays bounded by the
// Options limits whatever the number of rows, provided emit does not keep
// the chunks.
//
// Rows come from a CSV stream (ReadCSV), a JSON array of objects (ReadJSON),
// decoded JSON objects (AddMap) or text cells (SetColumns then AddRow);
// sources may be mixed, columns being matched by name. Finish returns the
// Schema.
//
// The first error (bad input, a limit, an emit error) is sticky: every later
// call returns it. A Builder is not safe for concurrent use.
type Builder struct {
	opts      Options
	emit      func(Chunk) error
	nulls     map[string]struct{}
	maxNull   int
	nullFirst [256]bool // first bytes of the null values
	cols      []column
	index     map[string]int // column name -> position in cols
	label     int            // position of the label column, -1 if none yet
	anomalies int
	rows      int
	err       error

	body       []byte // encoded rows of the open chunk
	chunkRows  int
	chunkSizes []int

	obj   []string // cells of the JSON object being read, by column
	stamp []int    // row+1 when obj[j] was set in the current object
}

// NewBuilder returns a Builder configured by opts (defaults filled, an error
// naming a bad field) that passes each full chunk to emit, in order. An
// error from emit stops ingestion and is returned wrapped.
func NewBuilder(opts Options, emit func(Chunk) error) (*Builder, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if emit == nil {
		return nil, errors.New("new builder: nil emit")
	}
	b := &Builder{opts: o, emit: emit, index: make(map[string]int), label: -1,
		nulls: make(map[string]struct{}, len(o.NullValues))}
	for _, v := range o.NullValues {
		b.nulls[v] = struct{}{}
		b.maxNull = max(b.maxNull, len(v))
		if v != "" {
			b.nullFirst[v[0]] = true
		}
	}
	return b, nil
}

// IngestCSV reads a CSV stream through a new Builder: see NewBuilder,
// Builder.ReadCSV and Builder.Finish.
func IngestCSV(r io.Reader, opts Options, emit func(Chunk) error) (*Schema, error) {
	b, err := NewBuilder(opts, emit)
	if err != nil {
		return nil, err
	}
	if err := b.ReadCSV(r); err != nil {
		return nil, err
	}
	return b.Finish()
}

// IngestJSON reads a JSON array of row objects through a new Builder: see
// NewBuilder, Builder.ReadJSON and Builder.Finish.
func IngestJSON(r io.Reader, opts Options, emit func(Chunk) error) (*Schema, error) {
	b, err := NewBuilder(opts, emit)
	if err != nil {
		return nil, err
	}
	if err := b.ReadJSON(r); err != nil {
		return nil, err
	}
	return b.Finish()
}

// ReadCSV reads a header and records from r (see CSVReader, configured by the
// Builder's Options) and adds them. The header declares the columns as
// SetColumns does.
func (b *Builder) ReadCSV(r io.Reader) error {
	if b.err != nil {
		return b.err
	}
	cr, err := NewCSVReader(r, b.opts)
	if err != nil {
		return b.fail(err)
	}
	header, err := cr.Header()
	if err != nil {
		return b.fail(err)
	}
	if err := b.setColumns(header, cr.Line()); err != nil {
		return err
	}
	cells := make([]string, len(b.cols))
	for {
		if _, err := cr.Read(); err != nil {
			if err == io.EOF {
				return nil
			}
			return b.fail(err)
		}
		if len(cells) != len(b.cols) {
			cells = make([]string, len(b.cols))
		}
		s := string(cr.buf) // one allocation per record; cells share it
		start := 0
		for i, end := range cr.ends {
			cells[i] = s[start:end] // setColumns checked the order
			start = end
		}
		if err := b.addRow(cells, cr.Line()); err != nil {
			return err
		}
	}
}

// SetColumns declares columns by name, in order, for AddRow. Names must be
// non-empty and distinct (ErrHeader); names already known keep their
// position, and they must end up being exactly the Builder's columns in this
// order. If Options.LabelColumn is set it must be among them.
func (b *Builder) SetColumns(names []string) error {
	if b.err != nil {
		return b.err
	}
	return b.setColumns(names, 0)
}

func (b *Builder) setColumns(names []string, line int) error {
	if len(names) > b.opts.MaxColumns {
		return b.fail(&LimitError{Limit: LimitColumns, Value: b.opts.MaxColumns, Line: line, Row: -1})
	}
	seen := make(map[string]bool, len(names))
	for i, name := range names {
		if name == "" {
			return b.fail(&ParseError{Line: line, Row: -1, Err: fmt.Errorf("%w: column %d has an empty name", ErrHeader, i+1)})
		}
		if seen[name] {
			return b.fail(&ParseError{Line: line, Row: -1, Column: name, Err: fmt.Errorf("%w: duplicate column name", ErrHeader)})
		}
		seen[name] = true
		if j, ok := b.index[name]; ok && j != i {
			return b.fail(&ParseError{Line: line, Row: -1, Column: name, Err: fmt.Errorf("%w: column moved from position %d to %d", ErrHeader, j+1, i+1)})
		}
		if _, ok := b.index[name]; !ok {
			if err := b.addColumn(name, line); err != nil {
				return err
			}
		}
	}
	if len(b.cols) != len(names) {
		return b.fail(&ParseError{Line: line, Row: -1, Err: fmt.Errorf("%w: %d columns, want the %d known", ErrHeader, len(names), len(b.cols))})
	}
	if b.opts.LabelColumn != "" && b.label < 0 {
		return b.fail(&ParseError{Line: line, Row: -1, Column: b.opts.LabelColumn, Err: fmt.Errorf("%w: no such label column", ErrHeader)})
	}
	return nil
}

// addColumn appends a column; the rows before it count as missing.
func (b *Builder) addColumn(name string, line int) error {
	if len(b.cols) >= b.opts.MaxColumns {
		return b.fail(&LimitError{Limit: LimitColumns, Value: b.opts.MaxColumns, Line: line, Row: b.rows})
	}
	if len(name) > b.opts.MaxFieldBytes {
		return b.fail(&LimitError{Limit: LimitFieldBytes, Value: b.opts.MaxFieldBytes, Line: line, Row: b.rows})
	}
	b.index[name] = len(b.cols)
	if name == b.opts.LabelColumn {
		b.label = len(b.cols)
	}
	b.cols = append(b.cols, column{name: name, missing: b.rows})
	b.obj = append(b.obj, "")
	b.stamp = append(b.stamp, 0)
	return nil
}

// AddRow adds one row of raw cell texts, one per column in the order of
// SetColumns. An empty or white-space cell, or one of Options.NullValues
// (spaces trimmed), is missing; every other cell is stored as given and
// inferred with spaces trimmed. Errors name the 0-based row.
func (b *Builder) AddRow(cells []string) error {
	if b.err != nil {
		return b.err
	}
	if len(cells) != len(b.cols) {
		return b.fail(&ParseError{Row: b.rows, Err: fmt.Errorf("%w: got %d cells, want %d", ErrFieldCount, len(cells), len(b.cols))})
	}
	return b.addRow(cells, 0)
}

// addRow validates, observes and encodes one row of len(b.cols) cells.
func (b *Builder) addRow(cells []string, line int) error {
	if b.rows >= b.opts.MaxRows {
		return b.fail(&LimitError{Limit: LimitRows, Value: b.opts.MaxRows, Line: line, Row: b.rows})
	}
	total := 0
	for _, c := range cells {
		if len(c) > b.opts.MaxFieldBytes {
			return b.fail(&LimitError{Limit: LimitFieldBytes, Value: b.opts.MaxFieldBytes, Line: line, Row: b.rows})
		}
		total += len(c)
	}
	if total > b.opts.MaxRecordBytes {
		return b.fail(&LimitError{Limit: LimitRecordBytes, Value: b.opts.MaxRecordBytes, Line: line, Row: b.rows})
	}
	if b.label >= 0 {
		anomaly, ok := ParseLabel(cells[b.label])
		if !ok {
			err := fmt.Errorf("%w: %q is not one of the accepted label values", ErrLabel, trimSpace(cells[b.label]))
			if trimSpace(cells[b.label]) == "" {
				err = fmt.Errorf("%w: missing", ErrLabel)
			}
			return b.fail(&ParseError{Line: line, Row: b.rows, Column: b.opts.LabelColumn, Err: err})
		}
		b.anomalies += b2i(anomaly)
	} else if b.opts.LabelColumn != "" {
		return b.fail(&ParseError{Line: line, Row: b.rows, Column: b.opts.LabelColumn, Err: fmt.Errorf("%w: missing", ErrLabel)})
	}
	b.body = binary.AppendUvarint(b.body, uint64(len(cells)))
	for j, raw := range cells {
		c := &b.cols[j]
		t := trimSpace(raw)
		if t == "" || b.isNull(t) {
			c.missing++
			b.body = append(b.body, 0)
			continue
		}
		c.observe(t, b.opts.MaxUnique)
		b.body = binary.AppendUvarint(b.body, uint64(len(raw)))
		b.body = append(b.body, raw...)
	}
	b.rows++
	b.chunkRows++
	if b.chunkRows >= b.opts.ChunkRows || len(b.body) >= b.opts.ChunkBytes {
		return b.flush()
	}
	return nil
}

// isNull reports whether the trimmed text t is one of the null values.
func (b *Builder) isNull(t string) bool {
	if len(t) > b.maxNull || !b.nullFirst[t[0]] {
		return false
	}
	_, ok := b.nulls[t]
	return ok
}

// flush emits the open chunk, if any.
func (b *Builder) flush() error {
	if b.chunkRows == 0 {
		return nil
	}
	data := make([]byte, 0, 1+binary.MaxVarintLen64+len(b.body))
	data = append(data, ChunkVersion)
	data = binary.AppendUvarint(data, uint64(b.chunkRows))
	data = append(data, b.body...)
	c := Chunk{Index: len(b.chunkSizes), FirstRow: b.rows - b.chunkRows, Rows: b.chunkRows, Data: data}
	b.chunkSizes = append(b.chunkSizes, b.chunkRows)
	b.body, b.chunkRows = b.body[:0], 0
	if err := b.emit(c); err != nil {
		return b.fail(fmt.Errorf("emit chunk %d: %w", c.Index, err))
	}
	return nil
}

// fail makes err sticky and returns it.
func (b *Builder) fail(err error) error {
	b.err = err
	return err
}

// Rows returns the number of rows added so far.
func (b *Builder) Rows() int { return b.rows }

// Finish emits the last chunk and returns the dataset's Schema. It returns
// ErrNoRows if no row was added, and a *ParseError wrapping ErrHeader if
// Options.LabelColumn names no column. The Builder cannot be used afterwards.
func (b *Builder) Finish() (*Schema, error) {
	if b.err != nil {
		return nil, b.err
	}
	if err := b.flush(); err != nil {
		return nil, err
	}
	if b.rows == 0 {
		return nil, b.fail(ErrNoRows)
	}
	if b.opts.LabelColumn != "" && b.label < 0 {
		return nil, b.fail(&ParseError{Row: -1, Column: b.opts.LabelColumn, Err: fmt.Errorf("%w: no such label column", ErrHeader)})
	}
	s := &Schema{Version: ChunkVersion, Rows: b.rows, ChunkSizes: b.chunkSizes, Columns: make([]Feature, len(b.cols))}
	for j := range b.cols {
		s.Columns[j] = b.cols[j].feature(b.opts.MaxUnique)
	}
	if b.label >= 0 {
		s.Label = &Label{Name: b.opts.LabelColumn, Column: b.label, Anomalies: b.anomalies}
	}
	b.err = errors.New("builder: finished")
	return s, nil
}
