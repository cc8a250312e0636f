package tdajson

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

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
	dst = appendString(dst, res.Name)
	dst = append(dst, `,"description":`...)
	dst = appendString(dst, res.Description)
	if e := res.Embedding; e != nil {
		dst = append(dst, `,"embedding":{"dim":`...)
		dst = strconv.AppendInt(dst, int64(e.Dim), 10)
		dst = append(dst, `,"delay":`...)
		dst = strconv.AppendInt(dst, int64(e.Delay), 10)
		dst = append(dst, `,"convention":`...)
		dst = appendString(dst, EmbeddingConvention)
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
			dst = appendFloats(dst, p)
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
		dst = appendFloat(dst, *f.MaxEdge)
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
		dst = appendFloat(dst, b.T)
		dst = append(dst, `,"betti":`...)
		dst = appendIntsByDim(dst, b.Betti)
		dst = append(dst, '}')
	}
	dst = append(dst, `],"epsilon":`...)
	dst = appendFloat(dst, f.Epsilon)
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
		dst = appendFloats(dst, l.Range[:])
		dst = append(dst, `,"x":`...)
		dst = appendFloats(dst, l.X)
		dst = append(dst, `,"y":[`...)
		for i, y := range l.Y {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendFloats(dst, y)
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
		dst = appendFloat(dst, b.Birth)
		dst = append(dst, ',')
		if b.Finite() {
			dst = appendFloat(dst, b.Death)
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
		dst = appendFloat(dst, x)
	}
	if withAll {
		dst = append(dst, `,"all":`...)
		dst = appendFloat(dst, all)
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
			dst = appendFloat(dst, x)
		}
	}
	return append(dst, '}')
}

func appendFloats(dst []byte, v []float64) []byte {
	dst = append(dst, '[')
	for i, x := range v {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendFloat(dst, x)
	}
	return append(dst, ']')
}

// appendFloat appends x with the shortest digits that round-trip, as encoding/json does
// (plain notation for 1e-6 <= |x| < 1e21, exponent otherwise); NaN and infinities, which
// JSON cannot hold, are written as null.
func appendFloat(dst []byte, x float64) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return append(dst, "null"...)
	}
	abs := math.Abs(x)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		n := len(dst)
		dst = strconv.AppendFloat(dst, x, 'e', -1, 64)
		// Shorten e-07 to e-7 like encoding/json.
		if m := len(dst) - n; m >= 4 && dst[len(dst)-4] == 'e' && dst[len(dst)-3] == '-' && dst[len(dst)-2] == '0' {
			dst[len(dst)-2] = dst[len(dst)-1]
			dst = dst[:len(dst)-1]
		}
		return dst
	}
	return strconv.AppendFloat(dst, x, 'f', -1, 64)
}

// appendString appends s as a JSON string.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}
