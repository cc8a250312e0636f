package detect

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
)

// MaxOneHot is the largest number of distinct training values of a string
// column that is one-hot encoded. A string column with more distinct values
// is frequency encoded: a value becomes the fraction of training rows holding
// it, so an unseen value encodes as 0, the rarest possible.
const MaxOneHot = 16

// explainKnots bounds the quantiles stored per numeric column for
// explanations; percentiles between knots are interpolated linearly.
const explainKnots = 257

type colKind uint8

const (
	colNumeric colKind = iota
	colOneHot
	colFrequency
)

// prepCol is the learned encoding of one input column.
type prepCol struct {
	name   string
	kind   colKind
	offset int       // first encoded feature of the column
	impute float64   // numeric and frequency columns: training median of the encoded value
	mode   int       // one-hot columns: index in cats of the most frequent value
	cats   []string  // string columns: training values, sorted
	freq   []float64 // string columns: fraction of non-missing training cells per cats[i]
	knots  []float64 // numeric columns: quantiles of the observed training values
	catIdx map[string]int
}

func (c *prepCol) width() int {
	if c.kind == colOneHot {
		return len(c.cats)
	}
	return 1
}

// prep is the input preparation learned at fit time: column types, encodings
// and imputation values. It maps a table row to a feature vector.
type prep struct {
	cols  []prepCol
	index map[string]int
	nfeat int
	names []string
}

// fitPrep learns the preparation from t and returns it with the encoded
// row-major training matrix.
func fitPrep(t Table) (*prep, []float64, error) {
	if err := t.checkShape(); err != nil {
		return nil, nil, err
	}
	if len(t.Columns) == 0 {
		return nil, nil, fmt.Errorf("%w: no feature columns", ErrEmpty)
	}
	p := &prep{cols: make([]prepCol, len(t.Columns))}
	n := len(t.Rows)
	vals := make([]float64, 0, n)
	for j, name := range t.Columns {
		c := prepCol{name: name, offset: p.nfeat}
		isString := false
		vals = vals[:0]
		for i, r := range t.Rows {
			k, f, _, err := readCell(r[j])
			if err != nil {
				return nil, nil, fmt.Errorf("row %d, column %q: %w", i, name, err)
			}
			if k == cellString {
				isString = true
			} else if k == cellNumber {
				vals = append(vals, f)
			}
		}
		if isString {
			fitStringCol(&c, t.Rows, j)
		} else {
			c.kind = colNumeric
			sortFloats(vals)
			c.impute = median(vals)
			c.knots = quantileKnots(vals, explainKnots)
		}
		p.nfeat += c.width()
		p.cols[j] = c
	}
	p.finish()
	x := make([]float64, n*p.nfeat)
	plan := p.plan(t.Columns)
	for i, r := range t.Rows {
		if err := p.encode(x[i*p.nfeat:(i+1)*p.nfeat], plan, r); err != nil {
			return nil, nil, fmt.Errorf("row %d: %w", i, err)
		}
	}
	return p, x, nil
}

// fitStringCol learns the encoding of a string column; numbers in it are
// treated as their shortest decimal text.
func fitStringCol(c *prepCol, rows [][]any, j int) {
	counts := map[string]int{}
	total := 0
	for _, r := range rows {
		k, f, s, _ := readCell(r[j])
		switch k {
		case cellMissing:
			continue
		case cellNumber:
			s = strconv.FormatFloat(f, 'g', -1, 64)
		}
		counts[s]++
		total++
	}
	c.cats = make([]string, 0, len(counts))
	for s := range counts {
		c.cats = append(c.cats, s)
	}
	sort.Strings(c.cats)
	c.freq = make([]float64, len(c.cats))
	for i, s := range c.cats {
		c.freq[i] = float64(counts[s]) / float64(total)
		if counts[s] > counts[c.cats[c.mode]] {
			c.mode = i
		}
	}
	if len(c.cats) <= MaxOneHot && len(c.cats) > 0 {
		c.kind = colOneHot
		return
	}
	c.kind = colFrequency
	enc := make([]float64, 0, total)
	for i := range c.cats {
		for k := 0; k < counts[c.cats[i]]; k++ {
			enc = append(enc, c.freq[i])
		}
	}
	sortFloats(enc)
	c.impute = median(enc)
}

// finish builds the lookup tables and feature names after fit or load.
func (p *prep) finish() {
	p.index = make(map[string]int, len(p.cols))
	p.names = p.names[:0]
	for j := range p.cols {
		c := &p.cols[j]
		p.index[c.name] = j
		c.catIdx = nil
		if len(c.cats) > 0 {
			c.catIdx = make(map[string]int, len(c.cats))
			for i, s := range c.cats {
				c.catIdx[s] = i
			}
		}
		switch c.kind {
		case colNumeric:
			p.names = append(p.names, c.name)
		case colOneHot:
			for _, s := range c.cats {
				p.names = append(p.names, c.name+"="+s)
			}
		case colFrequency:
			p.names = append(p.names, c.name+":frequency")
		}
	}
}

// plan maps the columns of a score-time table to prepared columns (-1 for
// unknown columns, which are ignored).
func (p *prep) plan(columns []string) []int {
	m := make([]int, len(columns))
	for i, name := range columns {
		j, ok := p.index[name]
		if !ok {
			j = -1
		}
		m[i] = j
	}
	return m
}

// fillImputed writes the imputed encoding of every column into dst.
func (p *prep) fillImputed(dst []float64) {
	for j := range p.cols {
		c := &p.cols[j]
		switch c.kind {
		case colOneHot:
			for k := range c.cats {
				dst[c.offset+k] = 0
			}
			dst[c.offset+c.mode] = 1
		default:
			dst[c.offset] = c.impute
		}
	}
}

// encode writes the feature vector of row (cells ordered as planned) into
// dst (len nfeat). Missing cells and columns are imputed; unknown columns
// are ignored. It allocates only for a number in a string column.
func (p *prep) encode(dst []float64, plan []int, row []any) error {
	p.fillImputed(dst)
	for i, v := range row {
		j := plan[i]
		if j < 0 {
			continue
		}
		if err := p.set(dst, j, v); err != nil {
			return err
		}
	}
	return nil
}

// set encodes cell v of column j into dst.
func (p *prep) set(dst []float64, j int, v any) error {
	c := &p.cols[j]
	k, f, s, err := readCell(v)
	if err != nil {
		return fmt.Errorf("column %q: %w", c.name, err)
	}
	if k == cellMissing {
		return nil
	}
	if c.kind == colNumeric {
		if k == cellString {
			f, err = strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("column %q: want a number, got %q", c.name, s)
			}
			if _, _, _, err := readCell(f); err != nil {
				return fmt.Errorf("column %q: %w", c.name, err)
			}
		}
		dst[c.offset] = f
		return nil
	}
	if k == cellNumber {
		s = strconv.FormatFloat(f, 'g', -1, 64)
	}
	ci, seen := c.catIdx[s]
	if c.kind == colOneHot {
		for k := range c.cats {
			dst[c.offset+k] = 0
		}
		if seen {
			dst[c.offset+ci] = 1
		}
		return nil
	}
	dst[c.offset] = 0
	if seen {
		dst[c.offset] = c.freq[ci]
	}
	return nil
}

func (p *prep) encodeTo(e *encoder) {
	e.int(len(p.cols))
	for j := range p.cols {
		c := &p.cols[j]
		e.str(c.name)
		e.u8(uint8(c.kind))
		e.f64(c.impute)
		e.int(c.mode)
		e.strs(c.cats)
		e.f64s(c.freq)
		e.f64s(c.knots)
	}
}

func decodePrep(d *decoder) *prep {
	n := d.count(8)
	p := &prep{cols: make([]prepCol, n)}
	for j := 0; j < n && d.err == nil; j++ {
		c := &p.cols[j]
		c.name = d.str()
		c.kind = colKind(d.u8())
		c.impute = d.f64()
		c.mode = d.int()
		c.cats = d.strs()
		c.freq = d.f64s()
		c.knots = d.f64s()
		c.offset = p.nfeat
		switch {
		case c.kind > colFrequency:
			d.fail("column %q has kind %d", c.name, c.kind)
		case c.kind != colNumeric && (len(c.freq) != len(c.cats) || len(c.cats) == 0):
			d.fail("column %q has %d values and %d frequencies", c.name, len(c.cats), len(c.freq))
		case c.kind == colOneHot && c.mode >= len(c.cats):
			d.fail("column %q has mode %d of %d", c.name, c.mode, len(c.cats))
		}
		p.nfeat += c.width()
	}
	if d.err == nil && n == 0 {
		d.fail("no columns")
	}
	if d.err == nil {
		p.finish()
		if len(p.index) != len(p.cols) {
			d.fail("duplicate column names")
		}
	}
	return p
}

// median returns the median of sorted values (0 for none).
func median(sorted []float64) float64 {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return sorted[n/2]
	default:
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
}

// quantileAt returns the q-quantile of sorted values with linear
// interpolation between order statistics (NumPy's default "linear" method).
func quantileAt(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	pos := q * float64(n-1)
	i := int(pos)
	if i >= n-1 {
		return sorted[n-1]
	}
	frac := pos - float64(i)
	if frac == 0 {
		return sorted[i]
	}
	return sorted[i] + frac*(sorted[i+1]-sorted[i])
}

// quantileKnots returns m evenly spaced quantiles of sorted values (all of
// them when there are at most m).
func quantileKnots(sorted []float64, m int) []float64 {
	if len(sorted) <= m {
		return slices.Clone(sorted)
	}
	k := make([]float64, m)
	for i := range k {
		k[i] = quantileAt(sorted, float64(i)/float64(m-1))
	}
	return k
}

// knotCDF returns the empirical CDF at v of the distribution summarised by
// knots (evenly spaced quantiles): 0 below the first knot, 1 above the last,
// linear between knots, and the middle of a run of knots equal to v.
func knotCDF(knots []float64, v float64) float64 {
	m := len(knots)
	if m == 0 {
		return 0.5
	}
	lo := sort.SearchFloat64s(knots, v) // first knot >= v
	if lo == m {
		return 1
	}
	if knots[lo] == v {
		hi := lo
		for hi+1 < m && knots[hi+1] == v {
			hi++
		}
		if m == 1 {
			return 0.5
		}
		return float64(lo+hi) / 2 / float64(m-1)
	}
	if lo == 0 {
		return 0
	}
	a, b := knots[lo-1], knots[lo]
	return (float64(lo-1) + (v-a)/(b-a)) / float64(m-1)
}
