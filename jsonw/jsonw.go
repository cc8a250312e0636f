// Package jsonw appends JSON values to byte slices without reflection or allocation, for the
// hot paths that write replies and stored records by hand (detection results, persistence
// diagrams, stream analyses). Its output is what encoding/json produces for the same values,
// except that NaN and infinities, which JSON cannot hold, become null instead of an error.
package jsonw

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// String appends s as a JSON string: quotes, backslashes and control characters escaped, invalid
// UTF-8 replaced by U+FFFD. (strconv.AppendQuote is not JSON: it writes \x escapes.)
func String(dst []byte, s string) []byte {
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
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029': // valid JSON, but not inside JavaScript strings
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&15])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

// Float appends x with the shortest digits that round-trip, as encoding/json does (plain
// notation for 1e-6 <= |x| < 1e21, exponent otherwise); NaN and infinities become null.
func Float(dst []byte, x float64) []byte {
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

// Floats appends v as a JSON array of numbers (see Float).
func Floats(dst []byte, v []float64) []byte {
	dst = append(dst, '[')
	for i, x := range v {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = Float(dst, x)
	}
	return append(dst, ']')
}

// Bool appends true or false.
func Bool(dst []byte, b bool) []byte {
	if b {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

// pow10u are the powers of ten Fixed scales by.
var pow10u = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// Fixed appends x rounded to prec decimals (0 <= prec <= 9; half away from zero) without
// trailing zeros: 0.1234567 with prec 6 is 0.123457, 2.5 is 2.5, 3 is 3. It is several times
// faster than the shortest round-trip form of Float, for arrays where a fixed absolute
// precision is what the reader needs (plotted curves). NaN and infinities become null; values
// too large for the fast path (|x| * 10^prec >= 2^53) are written by Float.
func Fixed(dst []byte, x float64, prec int) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return append(dst, "null"...)
	}
	prec = min(max(prec, 0), len(pow10u)-1)
	scale := pow10u[prec]
	r := math.Round(math.Abs(x) * float64(scale))
	if r >= 1<<53 {
		return Float(dst, x)
	}
	u := uint64(r)
	if x < 0 && u != 0 {
		dst = append(dst, '-')
	}
	dst = strconv.AppendUint(dst, u/scale, 10)
	frac := u % scale
	if frac == 0 {
		return dst
	}
	digits := prec
	for frac%10 == 0 {
		frac /= 10
		digits--
	}
	dst = append(dst, '.')
	var buf [20]byte
	b := strconv.AppendUint(buf[:0], frac, 10)
	for range digits - len(b) {
		dst = append(dst, '0')
	}
	return append(dst, b...)
}

// FixedArray appends v as a JSON array of numbers written by Fixed.
func FixedArray(dst []byte, v []float64, prec int) []byte {
	dst = append(dst, '[')
	for i, x := range v {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = Fixed(dst, x, prec)
	}
	return append(dst, ']')
}
