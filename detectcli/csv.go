package detectcli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/topoforge/topoforge/detect"
)

// ReadCSV reads a CSV file with a header row into a detect.Table. A UTF-8
// byte-order mark before the header is skipped; fields may be quoted (RFC
// 4180); an empty or all-space field is a missing value (nil); a field that
// parses as a finite number is a float64 and any other field a string. It
// returns an error naming the line for a malformed record, a record with
// the wrong number of fields, a NaN or infinite number, an empty or
// duplicate column name, or a file with no data rows.
func ReadCSV(r io.Reader) (detect.Table, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return detect.Table{}, errors.New("empty file: no header row")
	}
	if err != nil {
		return detect.Table{}, fmt.Errorf("header: %w", err)
	}
	t := detect.Table{Columns: make([]string, len(head))}
	seen := make(map[string]bool, len(head))
	for j, h := range head {
		h = strings.TrimSpace(h)
		if h == "" {
			return detect.Table{}, fmt.Errorf("line 1: column %d has an empty name", j+1)
		}
		if seen[h] {
			return detect.Table{}, fmt.Errorf("line 1: duplicate column %q", h)
		}
		seen[h] = true
		t.Columns[j] = h
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return detect.Table{}, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(t.Columns) {
			return detect.Table{}, fmt.Errorf("line %d: %d fields, want %d (one per header column)", line, len(rec), len(t.Columns))
		}
		row := make([]any, len(rec))
		for j, f := range rec {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				var ne *strconv.NumError
				if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
					return detect.Table{}, fmt.Errorf("line %d, column %q: number %q out of range", line, t.Columns[j], f)
				}
				row[j] = strings.Clone(f)
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return detect.Table{}, fmt.Errorf("line %d, column %q: %q is not a finite number (leave the field empty for a missing value)", line, t.Columns[j], f)
			}
			row[j] = v
		}
		t.Rows = append(t.Rows, row)
	}
	if len(t.Rows) == 0 {
		return detect.Table{}, errors.New("no data rows after the header")
	}
	return t, nil
}
