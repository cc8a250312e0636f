package actors

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/topoforge/topoforge/dataset"
)

// rowConverter turns a stored row's raw texts into typed cells by the dataset's schema: numbers
// as float64, bools as bool, timestamps as float64 Unix seconds, strings as string, missing
// ("" or a null text such as "NA") as nil. The label column goes to a separate bool.
type rowConverter struct {
	s     *dataset.Schema
	cols  []string
	label int
	nulls map[string]bool
}

func newRowConverter(s *dataset.Schema) *rowConverter {
	c := &rowConverter{s: s, label: -1, nulls: map[string]bool{}}
	for _, v := range dataset.DefaultNullValues {
		c.nulls[v] = true
	}
	if s.Label != nil {
		c.label = s.Label.Column
	}
	for j, f := range s.Columns {
		if j != c.label {
			c.cols = append(c.cols, f.Name)
		}
	}
	return c
}

// columns returns the feature names, label excluded.
func (c *rowConverter) columns() []string { return c.cols }

// cell converts column j's raw text.
func (c *rowConverter) cell(j int, raw string) (any, error) {
	t := strings.TrimSpace(raw)
	if t == "" || c.nulls[t] {
		return nil, nil
	}
	switch c.s.Columns[j].Type {
	case dataset.TypeInt, dataset.TypeFloat:
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return nil, fmt.Errorf("column %s: %q is not a number", c.s.Columns[j].Name, t)
		}
		return f, nil
	case dataset.TypeBool:
		return strings.EqualFold(t, "true"), nil
	case dataset.TypeTimestamp:
		ts, ok := dataset.ParseTimestamp(t)
		if !ok {
			return nil, fmt.Errorf("column %s: %q is not a timestamp", c.s.Columns[j].Name, t)
		}
		return float64(ts.UnixNano()) / 1e9, nil
	case dataset.TypeEmpty:
		return nil, nil
	default:
		return t, nil
	}
}

// row converts one stored row into feature cells and its label.
func (c *rowConverter) row(raw []string) (cells []any, label bool, err error) {
	cells = make([]any, 0, len(c.cols))
	for j := range c.s.Columns {
		var r string
		if j < len(raw) {
			r = raw[j]
		}
		if j == c.label {
			label, _ = dataset.ParseLabel(r)
			continue
		}
		v, err := c.cell(j, r)
		if err != nil {
			return nil, false, err
		}
		cells = append(cells, v)
	}
	return cells, label, nil
}

// object converts one stored row into a JSON object by column name, label included.
func (c *rowConverter) object(raw []string) map[string]any {
	o := make(map[string]any, len(c.s.Columns))
	for j, f := range c.s.Columns {
		var r string
		if j < len(raw) {
			r = raw[j]
		}
		if j == c.label {
			l, _ := dataset.ParseLabel(r)
			o[f.Name] = l
			continue
		}
		v, err := c.cell(j, r)
		if err != nil {
			v = r
		}
		if c.s.Columns[j].Type == dataset.TypeTimestamp && v != nil {
			v = strings.TrimSpace(r)
		}
		o[f.Name] = v
	}
	return o
}
