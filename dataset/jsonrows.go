package dataset

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// ReadJSON reads a JSON array of flat objects, as in the "data" field of
// POST /datasets, and adds one row per object, streaming: the array is never
// decoded whole. Keys are columns; a key first seen in a later row adds a
// column, missing in the earlier rows; an absent key or a null is missing.
// Columns keep the order in which keys are first seen.
//
// A number keeps its JSON text ("100.0" is a float, "100" an int), a bool
// becomes "true" or "false" and a string is inferred like a CSV cell (so
// "42" is a number and "" is missing). A nested object or array, a duplicate
// key, an empty key, a non-object row, a number out of the float64 range and
// malformed JSON return a *ParseError wrapping ErrJSON naming the 0-based row
// and the key. Anything after the array but white space is an error.
func (b *Builder) ReadJSON(r io.Reader) error {
	if b.err != nil {
		return b.err
	}
	dec := json.NewDecoder(r)
	dec.UseNumber()
	bad := func(key string, format string, args ...any) error {
		return b.fail(&ParseError{Row: b.rows, Column: key, Err: fmt.Errorf("%w: "+format, append([]any{ErrJSON}, args...)...)})
	}
	syntax := func(err error) error {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return bad("", "%v", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return syntax(err)
	}
	if tok != json.Delim('[') {
		return bad("", "want an array of objects, got %s", describeToken(tok))
	}
	for dec.More() {
		if tok, err = dec.Token(); err != nil {
			return syntax(err)
		}
		if tok != json.Delim('{') {
			return bad("", "want an object, got %s", describeToken(tok))
		}
		b.beginObject()
		for dec.More() {
			if tok, err = dec.Token(); err != nil {
				return syntax(err)
			}
			key := tok.(string) // the decoder only returns strings for keys
			if tok, err = dec.Token(); err != nil {
				return syntax(err)
			}
			var text string
			switch v := tok.(type) {
			case json.Delim:
				return bad(key, "nested %s", describeToken(v))
			case json.Number:
				if _, err := strconv.ParseFloat(string(v), 64); err != nil {
					return bad(key, "number %s out of range", v)
				}
				text = string(v)
			case string:
				text = v
			case bool:
				text = strconv.FormatBool(v)
			case nil:
			}
			if err := b.setField(key, text); err != nil {
				return err
			}
		}
		if _, err = dec.Token(); err != nil { // '}'
			return syntax(err)
		}
		if err := b.endObject(); err != nil {
			return err
		}
	}
	if _, err = dec.Token(); err != nil { // ']'
		return syntax(err)
	}
	if _, err = dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("data after the array")
		}
		return bad("", "%v", err)
	}
	return nil
}

// describeToken names a JSON token for an error.
func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			return "object"
		case '[':
			return "array"
		}
		return strconv.Quote(v.String())
	case json.Number:
		return "number"
	case string:
		return "string"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}

// AddMap adds one row from a decoded JSON object. Values may be nil, bool,
// string, json.Number, float64 or float32 (shortest decimal text: 100.0
// becomes "100", an int) and Go integers; they are read as in ReadJSON.
// Keys seen for the first time become columns in sorted order, as a map has
// none. A nested map or slice, an unsupported type, NaN, ±Inf or an empty key
// returns a *ParseError wrapping ErrJSON.
func (b *Builder) AddMap(row map[string]any) error {
	if b.err != nil {
		return b.err
	}
	keys := make([]string, 0, len(row))
	for k := range row {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b.beginObject()
	for _, k := range keys {
		text, err := b.cellText(row[k])
		if err != nil {
			return b.fail(&ParseError{Row: b.rows, Column: k, Err: fmt.Errorf("%w: %v", ErrJSON, err)})
		}
		if err := b.setField(k, text); err != nil {
			return err
		}
	}
	return b.endObject()
}

// cellText returns the cell text of a decoded JSON value.
func (b *Builder) cellText(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case json.Number:
		if _, err := strconv.ParseFloat(string(x), 64); err != nil {
			return "", fmt.Errorf("bad number %q", string(x))
		}
		return string(x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", fmt.Errorf("non-finite number %v", x)
		}
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return "", fmt.Errorf("non-finite number %v", x)
		}
		return strconv.FormatFloat(float64(x), 'g', -1, 32), nil
	case int:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case uint:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint32:
		return strconv.FormatUint(uint64(x), 10), nil
	case map[string]any, []any:
		return "", fmt.Errorf("nested %T", v)
	}
	return "", fmt.Errorf("unsupported value type %T", v)
}

// beginObject starts assembling a row from keys.
func (b *Builder) beginObject() {
	for j := range b.obj {
		b.obj[j] = ""
	}
}

// setField sets the cell of key in the row being assembled.
func (b *Builder) setField(key, text string) error {
	if key == "" {
		return b.fail(&ParseError{Row: b.rows, Err: fmt.Errorf("%w: empty key", ErrJSON)})
	}
	j, ok := b.index[key]
	if !ok {
		if err := b.addColumn(key, 0); err != nil {
			return err
		}
		j = len(b.cols) - 1
	}
	if b.stamp[j] == b.rows+1 {
		return b.fail(&ParseError{Row: b.rows, Column: key, Err: fmt.Errorf("%w: duplicate key", ErrJSON)})
	}
	b.stamp[j] = b.rows + 1
	b.obj[j] = text
	return nil
}

// endObject adds the assembled row.
func (b *Builder) endObject() error {
	return b.addRow(b.obj, 0)
}
