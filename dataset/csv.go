package dataset

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// csvReadBuffer is the size of the CSVReader's read buffer; lines longer than
// it are read in pieces.
const csvReadBuffer = 64 << 10

// CSVReader reads a CSV stream record by record: a header, then data records
// with one field per header column. It follows RFC 4180 like encoding/csv
// (quoted fields may hold separators, newlines and doubled quotes; "\r\n" is
// read as "\n" everywhere; blank lines are skipped) and adds:
//
//   - a leading UTF-8 byte-order mark is skipped;
//   - spaces and tabs around unquoted fields are trimmed unless
//     Options.KeepSpace, and spaces around a quoted field are allowed;
//   - header names are trimmed and must be non-empty and distinct
//     (ErrHeader), and a record with another number of fields than the header
//     is an ErrFieldCount *ParseError naming its line, got and want;
//   - Options.MaxColumns, MaxFieldBytes and MaxRecordBytes are enforced
//     while reading, so memory stays bounded whatever the input.
//
// Errors are *ParseError (with the 1-based line), *LimitError or read errors
// from the underlying reader; after an error every call returns it again.
// A CSVReader is not safe for concurrent use.
type CSVReader struct {
	br   *bufio.Reader
	opts Options

	header []string
	rows   int // data records returned
	line   int // line being read, 1-based
	start  int // first line of the last record
	err    error

	buf       []byte // field bytes of the current record
	ends      []int  // end offsets in buf of the kept fields
	fields    [][]byte
	nfields   int // fields seen in the current record, kept or not
	keep      int // fields to keep; more are counted only
	pendingCR bool
}

// NewCSVReader returns a reader of r configured by opts; it reads nothing
// yet. It returns an error naming the bad field if opts is invalid.
func NewCSVReader(r io.Reader, opts Options) (*CSVReader, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, csvReadBuffer)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3) //nolint:errcheck // peeked, cannot fail
	}
	return &CSVReader{br: br, opts: o, line: 1}, nil
}

// Header reads the header on the first call and returns the trimmed column
// names; later calls return the same slice, which must not be modified. An
// input without a header returns ErrNoHeader.
func (r *CSVReader) Header() ([]string, error) {
	if r.header != nil || r.err != nil {
		return r.header, r.err
	}
	r.keep = r.opts.MaxColumns
	n, err := r.readRecord()
	if err == io.EOF {
		err = ErrNoHeader
	}
	if err != nil {
		r.err = err
		return nil, err
	}
	header := make([]string, n)
	seen := make(map[string]bool, n)
	for i := range header {
		name := string(bytes.TrimSpace(r.fields[i]))
		if name == "" {
			r.err = &ParseError{Line: r.start, Row: -1, Err: fmt.Errorf("%w: column %d has an empty name", ErrHeader, i+1)}
			return nil, r.err
		}
		if seen[name] {
			r.err = &ParseError{Line: r.start, Row: -1, Column: name, Err: fmt.Errorf("%w: duplicate column name", ErrHeader)}
			return nil, r.err
		}
		seen[name] = true
		header[i] = name
	}
	r.header = header
	r.keep = n
	return header, nil
}

// Read returns the fields of the next data record, reading the header first
// if Header was not called. The fields alias an internal buffer that the
// next call overwrites. At the end of the input it returns io.EOF.
func (r *CSVReader) Read() ([][]byte, error) {
	if r.header == nil {
		if _, err := r.Header(); err != nil {
			return nil, err
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	n, err := r.readRecord()
	if err != nil {
		r.err = err
		return nil, err
	}
	if n != len(r.header) {
		r.err = &ParseError{Line: r.start, Row: r.rows,
			Err: fmt.Errorf("%w: got %d, want %d", ErrFieldCount, n, len(r.header))}
		return nil, r.err
	}
	r.rows++
	return r.fields, nil
}

// Line returns the 1-based line on which the last record read starts.
func (r *CSVReader) Line() int { return r.start }

// readRecord reads the next non-blank record, keeping its first r.keep fields
// in r.fields, and returns its number of fields.
func (r *CSVReader) readRecord() (int, error) {
	for {
		n, blank, err := r.parseRecord()
		if err != nil || !blank {
			return n, err
		}
	}
}

// Parser states.
const (
	stFieldStart  = iota // before a field: leading spaces may be skipped
	stUnquoted           // inside a non-quoted field
	stQuoted             // inside a quoted field
	stQuote              // just after a quote inside a quoted field
	stAfterQuoted        // spaces after a closing quote
)

// parseRecord reads one record. blank reports a record made of one empty
// non-quoted field (a blank line), which the caller skips.
func (r *CSVReader) parseRecord() (n int, blank bool, err error) {
	r.buf = r.buf[:0]
	r.ends = r.ends[:0]
	r.nfields = 0
	r.start = r.line
	st := stFieldStart
	quoted := false // whether the current field is quoted
	quoteLine := 0  // line where the current quoted field opened
	fieldStart := 0
	started := false
	comma := byte(r.opts.Comma)
	trim := !r.opts.KeepSpace
	isSpace := func(c byte) bool { return trim && (c == ' ' || c == '\t') && c != comma }

	// endField closes the current field.
	endField := func() {
		if !quoted && trim && r.nfields < r.keep {
			r.buf = trimRightSpace(r.buf, fieldStart, comma)
		}
		if r.nfields < r.keep {
			r.ends = append(r.ends, len(r.buf))
		}
		r.nfields++
		fieldStart = len(r.buf)
		quoted = false
		st = stFieldStart
	}
	// add appends field bytes, enforcing the limits.
	add := func(b []byte) error {
		if r.nfields >= r.keep {
			if r.header == nil {
				return &LimitError{Limit: LimitColumns, Value: r.opts.MaxColumns, Line: r.line, Row: -1}
			}
			return nil // surplus field of a bad record: counted, not kept
		}
		if len(r.buf)+len(b)-fieldStart > r.opts.MaxFieldBytes {
			return &LimitError{Limit: LimitFieldBytes, Value: r.opts.MaxFieldBytes, Line: r.line, Row: r.row()}
		}
		if len(r.buf)+len(b) > r.opts.MaxRecordBytes {
			return &LimitError{Limit: LimitRecordBytes, Value: r.opts.MaxRecordBytes, Line: r.line, Row: r.row()}
		}
		r.buf = append(r.buf, b...)
		return nil
	}
	// process runs the state machine over b, which holds no newline.
	process := func(b []byte) error {
		for i := 0; i < len(b); {
			c := b[i]
			switch st {
			case stFieldStart:
				switch {
				case c == comma:
					endField()
					i++
				case c == '"':
					st, quoted, quoteLine = stQuoted, true, r.line
					i++
				case isSpace(c):
					i++
				default:
					st = stUnquoted
				}
			case stUnquoted:
				j := i
				for j < len(b) && b[j] != comma && b[j] != '"' {
					j++
				}
				if err := add(b[i:j]); err != nil {
					return err
				}
				i = j
				if i < len(b) {
					if b[i] == '"' {
						return &ParseError{Line: r.line, Row: r.row(), Err: ErrBareQuote}
					}
					st = stFieldStart
					endField()
					i++
				}
			case stQuoted:
				j := bytes.IndexByte(b[i:], '"')
				if j < 0 {
					j = len(b) - i
				} else {
					st = stQuote
				}
				if err := add(b[i : i+j]); err != nil {
					return err
				}
				i += j
				if st == stQuote {
					i++
				}
			case stQuote:
				switch {
				case c == '"':
					if err := add(b[i : i+1]); err != nil {
						return err
					}
					st = stQuoted
				case c == comma:
					endField()
				case isSpace(c):
					st = stAfterQuoted
				default:
					return &ParseError{Line: r.line, Row: r.row(), Err: ErrQuote}
				}
				i++
			case stAfterQuoted:
				switch {
				case c == comma:
					endField()
				case isSpace(c):
				default:
					return &ParseError{Line: r.line, Row: r.row(), Err: ErrQuote}
				}
				i++
			}
		}
		return nil
	}
	// finish closes the record; blank reports a lone empty unquoted field.
	finish := func() (int, bool, error) {
		wasQuoted := quoted
		endField()
		if r.header == nil && r.nfields > r.keep {
			return 0, false, &LimitError{Limit: LimitColumns, Value: r.opts.MaxColumns, Line: r.start, Row: -1}
		}
		r.fields = r.fields[:0]
		start := 0
		for _, end := range r.ends {
			r.fields = append(r.fields, r.buf[start:end:end])
			start = end
		}
		return r.nfields, r.nfields == 1 && len(r.buf) == 0 && !wasQuoted, nil
	}

	for {
		seg, rerr := r.br.ReadSlice('\n')
		if rerr != nil && rerr != bufio.ErrBufferFull && rerr != io.EOF {
			return 0, false, fmt.Errorf("read csv: %w", rerr)
		}
		body, nl := seg, false
		if len(body) > 0 && body[len(body)-1] == '\n' {
			body, nl = body[:len(body)-1], true
			if len(body) > 0 && body[len(body)-1] == '\r' {
				body = body[:len(body)-1]
			}
		}
		if r.pendingCR {
			r.pendingCR = false
			if !nl || len(seg) != 1 { // not the second half of a split "\r\n": data
				started = true
				if err := process([]byte{'\r'}); err != nil {
					return 0, false, err
				}
			}
		}
		if !nl && len(body) > 0 && body[len(body)-1] == '\r' {
			body, r.pendingCR = body[:len(body)-1], true // maybe the first half of "\r\n"
		}
		if len(body) > 0 || nl {
			started = true
		}
		if err := process(body); err != nil {
			return 0, false, err
		}
		if nl {
			r.line++
			if st == stQuoted {
				if err := add([]byte{'\n'}); err != nil {
					return 0, false, err
				}
				continue
			}
			return finish()
		}
		if rerr == io.EOF {
			r.pendingCR = false // a '\r' just before EOF is dropped, as encoding/csv does
			if st == stQuoted {
				return 0, false, &ParseError{Line: quoteLine, Row: r.row(),
					Err: fmt.Errorf("%w: quoted field not closed at the end of the input", ErrQuote)}
			}
			if !started {
				return 0, false, io.EOF
			}
			return finish()
		}
	}
}

// row returns the data row being read, -1 for the header.
func (r *CSVReader) row() int {
	if r.header == nil {
		return -1
	}
	return r.rows
}

// trimRightSpace drops the spaces and tabs (unless one is the separator) that
// end buf[from:].
func trimRightSpace(buf []byte, from int, comma byte) []byte {
	n := len(buf)
	for n > from && (buf[n-1] == ' ' || buf[n-1] == '\t') && buf[n-1] != comma {
		n--
	}
	return buf[:n]
}
