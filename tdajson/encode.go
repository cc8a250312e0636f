package tdajson

import (
	"fmt"
	"io"
	"strconv"

	"github.com/topoforge/topoforge/jsonw"
	"github.com/topoforge/topoforge/tda"
)

// Run reads one input document from r, computes it with the default limits and writes the
// result to w. See Config.Run.
func Run(r io.Reader, w io.Writer) error {
	return Config{}.Run(r, w)
}

// Run reads one input document from r, computes it within c's limits and writes the
// result to w as one line of JSON. Errors about the input are *InputError; any other
// error is a failure to read r or write w.
func (c Config) Run(r io.Reader, w io.Writer) error {
	in, err := c.Decode(r)
	if err != nil {
		return err
	}
	res, err := c.Compute(in)
	if err != nil {
		return err
	}
	buf := AppendResult(nil, res)
	buf = append(buf, '\n')
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("write result: %w", err)
	}
	return nil
}

// AppendResult appends res to dst as JSON in the golden expected format, with the fields
// in the golden files' order, and returns the extended slice. Floats are written with the
// shortest representation that round-trips a float64; infinite deaths and distances are
// null.
func AppendResult(dst []byte, res *Result) []byte {
	dst = append(dst, `{"name":`...)
	dst = jsonw.String(dst, res.Name)
	dst = append(dst, `,"description":`...)
	dst = jsonw.String(dst, res.Description)
	if e := res.Embedding; e != nil {
		dst = append(dst, `,"embedding":{"dim":`...)
		dst = strconv.AppendInt(dst, int64(e.Dim), 10)
		dst = append(dst, `,"delay":`...)
		dst = strconv.AppendInt(dst, int64(e.Delay), 10)
		dst = append(dst, `,"convention":`...)
		dst = jsonw.String(dst, EmbeddingConvention)
		dst = append(dst, '}')
	}
	if res.Windows != nil {
		dst = append(dst, `,"window":`...)
		dst = strconv.AppendInt(dst, int64(res.Window), 10)
		dst = append(dst, `,"stride":`...)
		dst = strconv.AppendInt(dst, int64(res.Stride), 10)
		dst = append(dst, `,"windows":[`...)
		for i := range res.Windows {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"start":`...)
			dst = strconv.AppendInt(dst, int64(res.Windows[i].Start), 10)
			dst = appendFeatures(dst, &res.Windows[i], true)
			dst = append(dst, '}')
		}
		return append(dst, "]}"...)
	}
	if res.Points != nil {
		dst = append(dst, `,"points":[`...)
		for i, p := range res.Points {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = jsonw.Floats(dst, p)
		}
		dst = append(dst, ']')
	}
	if res.Cloud != nil {
		dst = appendFeatures(dst, res.Cloud, false)
	}
	return append(dst, '}')
}

// appendFeatures appends the fields of f, each preceded by a comma.
func appendFeatures(dst []byte, f *Features, window bool) []byte {
	dst = append(dst, `,"n_points":`...)
	dst = strconv.AppendInt(dst, int64(f.NPoints), 10)
	dst = append(dst, `,"ambient_dim":`...)
	dst = strconv.AppendInt(dst, int64(f.AmbientDim), 10)
	dst = append(dst, `,"max_dim":`...)
	dst = strconv.AppendInt(dst, int64(f.MaxDim), 10)
	dst = append(dst, `,"max_edge":`...)
	if f.MaxEdge == nil {
		dst = append(dst, "null"...)
	} else {
		dst = jsonw.Float(dst, *f.MaxEdge)
	}
	dst = append(dst, `,"num_simplices":`...)
	dst = strconv.AppendInt(dst, f.NumSimplices, 10)
	dst = append(dst, `,"diagrams":{`...)
	for k, bars := range f.Diagram {
		dst = appendDimKey(dst, k)
		dst = appendBars(dst, bars)
	}
	dst = append(dst, `},"betti_at_max_edge":`...)
	dst = appendIntsByDim(dst, f.BettiAtMaxEdge)
	dst = append(dst, `,"betti_at":[`...)
	for i, b := range f.BettiAt {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"t":`...)
		dst = jsonw.Float(dst, b.T)
		dst = append(dst, `,"betti":`...)
		dst = appendIntsByDim(dst, b.Betti)
		dst = append(dst, '}')
	}
	dst = append(dst, `],"epsilon":`...)
	dst = jsonw.Float(dst, f.Epsilon)
	dst = append(dst, `,"bars_over_epsilon":`...)
	dst = appendIntsByDim(dst, f.BarsOverEpsilon)
	dst = append(dst, `,"entropy":`...)
	dst = appendFloatsByDim(dst, f.Entropy, f.EntropyAll, true)
	dst = append(dst, `,"total_lifetime":`...)
	dst = appendFloatsByDim(dst, f.TotalLifetime, f.TotalLifetimeAll, true)
	if window {
		dst = append(dst, `,"bottleneck_prev":`...)
		dst = appendDistances(dst, f.Bottleneck)
		dst = append(dst, `,"wasserstein1_prev":`...)
		return appendDistances(dst, f.Wasserstein1)
	}
	dst = append(dst, `,"landscapes":{`...)
	for k, l := range f.Landscapes {
		dst = appendDimKey(dst, k)
		dst = append(dst, `{"range":`...)
		dst = jsonw.Floats(dst, l.Range[:])
		dst = append(dst, `,"x":`...)
		dst = jsonw.Floats(dst, l.X)
		dst = append(dst, `,"y":[`...)
		for i, y := range l.Y {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = jsonw.Floats(dst, y)
		}
		dst = append(dst, "]}"...)
	}
	dst = append(dst, `},"num_landscapes":`...)
	dst = strconv.AppendInt(dst, NumLandscapes, 10)
	dst = append(dst, `,"resolution":`...)
	return strconv.AppendInt(dst, Resolution, 10)
}

// appendDimKey appends `"k":`, preceded by a comma unless k is 0.
func appendDimKey(dst []byte, k int) []byte {
	if k > 0 {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = strconv.AppendInt(dst, int64(k), 10)
	return append(dst, `":`...)
}

func appendBars(dst []byte, bars []tda.Bar) []byte {
	dst = append(dst, '[')
	for i, b := range bars {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '[')
		dst = jsonw.Float(dst, b.Birth)
		dst = append(dst, ',')
		if b.Finite() {
			dst = jsonw.Float(dst, b.Death)
		} else {
			dst = append(dst, "null"...)
		}
		dst = append(dst, ']')
	}
	return append(dst, ']')
}

func appendIntsByDim(dst []byte, v []int) []byte {
	dst = append(dst, '{')
	for k, x := range v {
		dst = appendDimKey(dst, k)
		dst = strconv.AppendInt(dst, int64(x), 10)
	}
	return append(dst, '}')
}

func appendFloatsByDim(dst []byte, v []float64, all float64, withAll bool) []byte {
	dst = append(dst, '{')
	for k, x := range v {
		dst = appendDimKey(dst, k)
		dst = jsonw.Float(dst, x)
	}
	if withAll {
		dst = append(dst, `,"all":`...)
		dst = jsonw.Float(dst, all)
	}
	return append(dst, '}')
}

// appendDistances appends {"k": d, ...} with null for +Inf, or null for a nil slice.
func appendDistances(dst []byte, v []float64) []byte {
	if v == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '{')
	for k, x := range v {
		dst = appendDimKey(dst, k)
		if isNull(x) {
			dst = append(dst, "null"...)
		} else {
			dst = jsonw.Float(dst, x)
		}
	}
	return append(dst, '}')
}
