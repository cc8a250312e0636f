package actors

import (
	"encoding/json"
	"strconv"

	"github.com/topoforge/topoforge/detect"
	"github.com/topoforge/topoforge/messages"
	"github.com/valyala/fastjson"
)

// rowDecoder decodes the rows of a detect request: a JSON array of flat objects. It keeps its
// parser and column index between calls, so an actor that owns one decodes without rebuilding
// them; it is not safe for concurrent use.
type rowDecoder struct {
	p   fastjson.Parser
	col map[string]int
	raw []byte // every row's re-encoded object, back to back
}

// decodeRows decodes b with a fresh decoder (see rowDecoder.decode).
func decodeRows(b []byte) (detect.Table, []json.RawMessage, *messages.Error) {
	var rd rowDecoder
	return rd.decode(b)
}

// decode turns b into a table (columns in first-seen order; a key repeated within an object keeps
// its last value) and each row's object as compact JSON, for echoing as data_point. Numbers stay
// json.Number so the detector sees their exact text; nested objects and arrays are refused
// naming the field.
func (rd *rowDecoder) decode(b []byte) (detect.Table, []json.RawMessage, *messages.Error) {
	// fastjson's parser is lenient with numbers ("." parses); validate strictly first.
	if err := fastjson.ValidateBytes(b); err != nil {
		return detect.Table{}, nil, messages.FieldError("data", "must be an array of objects")
	}
	v, err := rd.p.ParseBytes(b)
	if err != nil {
		return detect.Table{}, nil, messages.FieldError("data", "must be an array of objects")
	}
	arr, err := v.Array()
	if err != nil {
		return detect.Table{}, nil, messages.FieldError("data", "must be an array of objects")
	}
	if rd.col == nil {
		rd.col = make(map[string]int, 16)
	}
	clear(rd.col)
	t := detect.Table{Rows: make([][]any, len(arr))}
	for i, o := range arr {
		obj, err := o.Object()
		if err != nil {
			return detect.Table{}, nil, messages.FieldError("data["+strconv.Itoa(i)+"]", "must be an object")
		}
		var bad []byte
		obj.Visit(func(k []byte, v *fastjson.Value) {
			if t := v.Type(); t == fastjson.TypeObject || t == fastjson.TypeArray {
				if bad == nil {
					bad = k
				}
				return
			}
			if _, ok := rd.col[string(k)]; !ok {
				rd.col[string(k)] = len(t.Columns)
				t.Columns = append(t.Columns, string(k))
			}
		})
		if bad != nil {
			return detect.Table{}, nil, messages.FieldError("data["+strconv.Itoa(i)+"]."+string(bad),
				"must be a number, string, boolean or null")
		}
	}
	ends := make([]int, len(arr))
	rd.raw = rd.raw[:0]
	cells := make([]any, len(arr)*len(t.Columns)) // one backing array for every row
	for i, o := range arr {
		row := cells[i*len(t.Columns) : (i+1)*len(t.Columns) : (i+1)*len(t.Columns)]
		o.GetObject().Visit(func(k []byte, v *fastjson.Value) {
			j := rd.col[string(k)]
			switch v.Type() {
			case fastjson.TypeNumber:
				row[j] = json.Number(v.String()) // the number's own text
			case fastjson.TypeString:
				row[j] = string(v.GetStringBytes())
			case fastjson.TypeTrue:
				row[j] = true
			case fastjson.TypeFalse:
				row[j] = false
			default: // null (a repeated key may have set it before)
				row[j] = nil
			}
		})
		t.Rows[i] = row
		rd.raw = o.MarshalTo(rd.raw)
		ends[i] = len(rd.raw)
	}
	// The raws are copied out of the decoder's buffer, which the next call reuses.
	all := append([]byte(nil), rd.raw...)
	raws := make([]json.RawMessage, len(arr))
	start := 0
	for i, e := range ends {
		raws[i] = all[start:e:e]
		start = e
	}
	if cap(rd.raw) > 1<<20 { // don't keep a huge request's buffer for every later one
		rd.raw = nil
	}
	return t, raws, nil
}
