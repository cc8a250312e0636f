package detect

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// maxExplained bounds the unusual columns named in an explanation.
const maxExplained = 3

// Contribution describes how unusual one input column of a row is compared
// with the training rows.
type Contribution struct {
	// Feature is the input column name.
	Feature string `json:"feature"`
	// Value is the cell as given (nil when missing).
	Value any `json:"value"`
	// Direction is "high", "low" or "typical" for numbers; "rare",
	// "unseen" or "common" for strings; "missing" for an imputed cell.
	Direction string `json:"direction"`
	// Percentile is, for numbers, the fraction of training rows below the
	// value; for strings, the fraction of training rows with the same value.
	Percentile float64 `json:"percentile"`
	// Weight is the column's share of what drives the score: the model's own
	// per-feature split of the score for IsolationForest (path splits),
	// HBOS, ECOD, COPOD, PCA, EllipticEnvelope, ZScore and MAD; for the other
	// algorithms the column's surprise, -log of its two-sided tail
	// probability under the training distribution. Weights sum to at most 1.
	Weight float64 `json:"weight"`
}

type colSurprise struct {
	j       int
	s       float64
	p       float64
	dir     string
	missing bool
	value   any
	x       float64 // encoded numeric value
}

// explain describes row (raw cells, ordered by plan) with prepared vector x;
// attr is the model's attribution of x when the caller has it (nil: computed
// here when the model has one).
func (d *Detector) explain(row []any, plan []int, x []float64, q float64, anomalous bool, attr []float64) (string, []Contribution) {
	p := d.prep
	floor := 0.5 / float64(max(d.rows, 1))
	var infoBuf [16]colSurprise // the common case without a heap allocation per row
	info := infoBuf[:0]
	if len(p.cols) > len(infoBuf) {
		info = make([]colSurprise, len(p.cols))
	} else {
		info = infoBuf[:len(p.cols)]
	}
	for j := range info {
		info[j] = colSurprise{j: j, missing: true}
	}
	for i, v := range row {
		if j := plan[i]; j >= 0 && v != nil {
			info[j].missing = false
			info[j].value = v
		}
	}
	if a, ok := d.model.(attributor); ok && attr == nil {
		attr = make([]float64, p.nfeat)
		a.attribute(attr, x)
	}
	var total float64
	for j := range p.cols {
		c := &p.cols[j]
		in := &info[j]
		if in.missing {
			in.dir = "missing"
			continue
		}
		if c.kind == colNumeric {
			in.x = x[c.offset]
			in.p = knotCDF(c.knots, in.x)
			tail := math.Min(in.p, 1-in.p)
			in.s = -math.Log(math.Max(2*tail, floor))
			switch {
			case tail >= 0.25:
				in.dir = "typical"
			case in.p > 0.5:
				in.dir = "high"
			default:
				in.dir = "low"
			}
		} else {
			in.p = catFreq(c, x)
			in.s = -math.Log(math.Max(in.p, floor))
			switch {
			case in.p == 0:
				in.dir = "unseen"
			case in.p < 0.05:
				in.dir = "rare"
			default:
				in.dir = "common"
			}
		}
		if attr != nil {
			// The model's own split of the score ranks the columns.
			var w float64
			for k := c.offset; k < c.offset+c.width(); k++ {
				w += attr[k]
			}
			in.s = w
		}
		total += in.s
	}
	// Rank the columns by surprise (stable: ties keep the column order), sorting indices
	// rather than the records.
	var idxBuf [32]int
	idx := idxBuf[:0]
	var missing []colSurprise
	for j := range info {
		if info[j].missing {
			missing = append(missing, info[j])
		} else if info[j].s > 0 {
			idx = append(idx, j)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(info[b].s, info[a].s) })
	if len(idx) > maxExplained {
		idx = idx[:maxExplained]
	}
	var b strings.Builder
	b.Grow(96 + 64*min(len(idx)+len(missing), maxExplained+2)) // most sentences in one allocation
	if anomalous {
		b.WriteString("Anomalous: score above the threshold (anomaly_score ")
	} else {
		b.WriteString("Normal: score within the threshold (anomaly_score ")
	}
	b.WriteString(strconv.FormatFloat(q, 'f', 3, 64))
	b.WriteString(")")
	contribs := make([]Contribution, 0, len(idx)+len(missing))
	phrases := 0
	for _, j := range idx {
		in := info[j]
		w := 0.0
		if total > 0 {
			w = in.s / total
		}
		contribs = append(contribs, Contribution{Feature: p.cols[in.j].name, Value: in.value, Direction: in.dir, Percentile: in.p, Weight: w})
		if in.dir == "typical" || in.dir == "common" {
			continue
		}
		if phrases == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		phrases++
		describe(&b, &p.cols[in.j], in)
	}
	if anomalous && phrases == 0 {
		b.WriteString(": no single column is unusual; the combination of values is")
	}
	for _, in := range missing {
		c := &p.cols[in.j]
		contribs = append(contribs, Contribution{Feature: c.name, Direction: "missing"})
		b.WriteString("; ")
		b.WriteString(c.name)
		switch c.kind {
		case colNumeric:
			b.WriteString(" was missing: imputed with the training median ")
			b.WriteString(strconv.FormatFloat(c.impute, 'g', 6, 64))
		case colOneHot:
			b.WriteString(" was missing: imputed with the most frequent value ")
			b.WriteString(strconv.Quote(c.cats[c.mode]))
		default:
			b.WriteString(" was missing: imputed with the training median frequency")
		}
	}
	return b.String(), contribs
}

// catFreq returns the training frequency of the value encoded in x for a
// string column (0 when unseen).
func catFreq(c *prepCol, x []float64) float64 {
	if c.kind == colFrequency {
		return x[c.offset]
	}
	for k := range c.cats {
		if x[c.offset+k] == 1 {
			return c.freq[k]
		}
	}
	return 0
}

func describe(b *strings.Builder, c *prepCol, in colSurprise) {
	b.WriteString(c.name)
	switch in.dir {
	case "high", "low":
		if len(c.knots) == 0 {
			return
		}
		tail := math.Min(in.p, 1-in.p)
		if tail < 0.05 {
			b.WriteString(" is unusually ")
		} else {
			b.WriteString(" is ")
		}
		b.WriteString(in.dir)
		if f, ok := in.value.(float64); ok {
			b.WriteString(" (")
			b.WriteString(strconv.FormatFloat(f, 'g', 6, 64))
			b.WriteString(")")
		}
		word := " above "
		frac := in.p
		if in.dir == "low" {
			word = " below "
			frac = 1 - in.p
		}
		b.WriteString(":")
		v, lo, hi := in.x, c.knots[0], c.knots[len(c.knots)-1]
		switch {
		case v > hi:
			b.WriteString(" above all training rows (maximum ")
			b.WriteString(strconv.FormatFloat(hi, 'g', 6, 64))
			b.WriteString(")")
		case v < lo:
			b.WriteString(" below all training rows (minimum ")
			b.WriteString(strconv.FormatFloat(lo, 'g', 6, 64))
			b.WriteString(")")
		case v == hi:
			b.WriteString(" the training maximum")
		case v == lo:
			b.WriteString(" the training minimum")
		default:
			b.WriteString(word)
			b.WriteString(pct(frac))
			b.WriteString(" of training rows")
		}
	case "unseen":
		b.WriteString(" = ")
		b.WriteString(strconv.Quote(cellText(in.value)))
		b.WriteString(" was never seen in training")
	case "rare":
		b.WriteString(" = ")
		b.WriteString(strconv.Quote(cellText(in.value)))
		b.WriteString(" is rare: ")
		b.WriteString(pct(in.p))
		b.WriteString(" of training rows")
	}
}

// pct formats a fraction as a percentage with enough digits to stay below
// 100% for fractions below 1.
func pct(f float64) string {
	v := f * 100
	for prec := 1; prec < 6; prec++ {
		s := strconv.FormatFloat(v, 'f', prec, 64)
		if f >= 1 || (s != "100."+strings.Repeat("0", prec)) {
			return strings.TrimSuffix(strings.TrimRight(strings.TrimRight(s, "0"), "."), ".") + "%"
		}
	}
	return "99.999%"
}

func cellText(v any) string {
	_, f, s, _ := readCell(v)
	if _, ok := v.(string); ok {
		return s
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
