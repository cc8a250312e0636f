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
	p      fastjson.Parser
	col    map[string]int
	names  map[string]string // column names seen before, so a request's names cost no allocation
	raw    []byte            // every row's re-encoded object, back to back
	nums   []byte            // every number's text, back to back
	numPos []numCell         // where each number's text and cell are
}

// numCell is one number cell awaiting its text: nums[start:end] goes to cells[cell].
type numCell struct{ cell, start, end int }

// maxInterned bounds rowDecoder.names; past it the cache starts over.
const maxInterned = 4096

// name returns k as a string, the cached one when k was seen before.
func (rd *rowDecoder) name(k []byte) string {
	if s, ok := rd.names[string(k)]; ok {
		return s
	}
	if rd.names == nil || len(rd.names) >= maxInterned {
		rd.names = make(map[string]string, 16)
	}
	s := string(k)
	rd.names[s] = s
	return s
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
		if i == 0 {
			t.Columns = make([]string, 0, obj.Len())
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
				name := rd.name(k)
				rd.col[name] = len(t.Columns)
				t.Columns = append(t.Columns, name)
			}
		})
		if bad != nil {
			return detect.Table{}, nil, messages.FieldError("data["+strconv.Itoa(i)+"]."+string(bad),
				"must be a number, string, boolean or null")
		}
	}
	ends := make([]int, len(arr))
	rd.raw, rd.nums, rd.numPos = rd.raw[:0], rd.nums[:0], rd.numPos[:0]
	nc := len(t.Columns)
	cells := make([]any, len(arr)*nc) // one backing array for every row
	for i, o := range arr {
		row := cells[i*nc : (i+1)*nc : (i+1)*nc]
		o.GetObject().Visit(func(k []byte, v *fastjson.Value) {
			j := rd.col[string(k)]
			if v.Type() != fastjson.TypeNumber { // a repeated key: an earlier number must not win
				for q := len(rd.numPos) - 1; q >= 0 && rd.numPos[q].cell >= i*nc; q-- {
					if rd.numPos[q].cell == i*nc+j {
						rd.numPos[q].cell = -1
					}
				}
			}
			switch v.Type() {
			case fastjson.TypeNumber: // the number's own text, set below from one shared string
				start := len(rd.nums)
				rd.nums = v.MarshalTo(rd.nums)
				rd.numPos = append(rd.numPos, numCell{cell: i*nc + j, start: start, end: len(rd.nums)})
				row[j] = nil // a repeated key's earlier non-number value must not survive
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
	if len(rd.numPos) > 0 {
		nums := string(rd.nums)
		for _, p := range rd.numPos {
			if p.cell >= 0 {
				cells[p.cell] = json.Number(nums[p.start:p.end])
			}
		}
	}
	// The raws are copied out of the decoder's buffer, which the next call reuses.
	all := append([]byte(nil), rd.raw...)
	raws := make([]json.RawMessage, len(arr))
	start := 0
	for i, e := range ends {
		raws[i] = all[start:e:e]
		start = e
	}
	if cap(rd.raw) > 1<<20 { // don't keep a huge request's buffers for every later one
		rd.raw = nil
	}
	if cap(rd.nums) > 1<<20 || cap(rd.numPos) > 1<<16 {
		rd.nums, rd.numPos = nil, nil
	}
	return t, raws, nil
}
