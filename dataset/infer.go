package dataset

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Type is the inferred type of a column.
//
// Inference sees each non-missing cell's text (spaces trimmed) as one of:
// an int (strconv.ParseInt base 10, 64 bits), a float (decimal or exponent
// notation; no hex, Inf or NaN), a bool ("true" or "false" in any case), a
// timestamp (see ParseTimestamp) or a string (anything else). A column's type
// is the narrowest type holding all its cells: int and float cells make a
// float column; any other mix, or any string cell, makes a string column; a
// column with no non-missing cell is TypeEmpty.
type Type uint8

// Column types, from the most to the least specific. The list is
// append-only: the values are stored.
const (
	TypeEmpty     Type = iota // every cell missing
	TypeInt                   // whole numbers that fit in an int64
	TypeFloat                 // numbers
	TypeBool                  // true or false
	TypeTimestamp             // dates and times, see ParseTimestamp
	TypeString                // anything else
)

var typeNames = [...]string{"empty", "int", "float", "bool", "timestamp", "string"}

// String returns the type's name as found in the JSON: "empty", "int",
// "float", "bool", "timestamp" or "string".
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// Numeric reports whether the column's cells become numbers in a
// detect.Table: int, float and timestamp.
func (t Type) Numeric() bool { return t == TypeInt || t == TypeFloat || t == TypeTimestamp }

// Categorical reports whether the column is reported as categorical: string
// and bool.
func (t Type) Categorical() bool { return t == TypeString || t == TypeBool }

// MarshalText returns the type's name.
func (t Type) MarshalText() ([]byte, error) {
	if int(t) >= len(typeNames) {
		return nil, fmt.Errorf("marshal type: unknown type %d", t)
	}
	return []byte(typeNames[t]), nil
}

// UnmarshalText reads a type name written by MarshalText.
func (t *Type) UnmarshalText(b []byte) error {
	for i, n := range typeNames {
		if string(b) == n {
			*t = Type(i)
			return nil
		}
	}
	return fmt.Errorf("unmarshal type: unknown type %q", b)
}

// ParseTimestamp parses s as RFC 3339 ("2006-01-02T15:04:05Z07:00"), as
// "2006-01-02 15:04:05" or "2006-01-02T15:04:05" in UTC, or as a date
// "2006-01-02" at midnight UTC; each time of day may carry fractional
// seconds after a '.' or ','. Every field has its layout's width and the
// separators are single characters (time.Parse would also take a one-digit
// hour and runs of spaces); otherwise it accepts what time.Parse
// accepts with the matching layout. It returns the instant in UTC, and
// false for anything else.
func ParseTimestamp(s string) (time.Time, bool) {
	sec, nsec, ok := parseTimestamp(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(sec, nsec).UTC(), true
}

// parseTimestamp is ParseTimestamp as Unix seconds and nanoseconds, without
// the cost of time.Parse.
func parseTimestamp(s string) (sec, nsec int64, ok bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, false
	}
	y, ok1 := atoi(s[0:4])
	mo, ok2 := atoi(s[5:7])
	d, ok3 := atoi(s[8:10])
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) {
		return 0, 0, false
	}
	var h, mi, se, off int
	if rest := s[10:]; rest != "" {
		if len(rest) < 9 || (rest[0] != 'T' && rest[0] != ' ') || rest[3] != ':' || rest[6] != ':' {
			return 0, 0, false
		}
		h, ok1 = atoi(rest[1:3])
		mi, ok2 = atoi(rest[4:6])
		se, ok3 = atoi(rest[7:9])
		if !ok1 || !ok2 || !ok3 || h > 23 || mi > 59 || se > 59 {
			return 0, 0, false
		}
		zoned := rest[0] == 'T'
		rest = rest[9:]
		if len(rest) >= 2 && (rest[0] == '.' || rest[0] == ',') && isDigit(rest[1]) {
			n := 1
			for n < len(rest) && isDigit(rest[n]) {
				if n <= 9 {
					nsec = nsec*10 + int64(rest[n]-'0')
				}
				n++
			}
			for k := n; k <= 9; k++ {
				nsec *= 10
			}
			rest = rest[n:]
		}
		switch {
		case rest == "":
		case !zoned:
			return 0, 0, false
		case rest == "Z":
		case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
			oh, ok1 := atoi(rest[1:3])
			om, ok2 := atoi(rest[4:6])
			if !ok1 || !ok2 || oh > 24 || om > 60 { // time.Parse's bounds
				return 0, 0, false
			}
			off = oh*3600 + om*60
			if rest[0] == '-' {
				off = -off
			}
		default:
			return 0, 0, false
		}
	}
	sec = daysFromCivil(y, mo, d)*86400 + int64(h*3600+mi*60+se-off)
	return sec, nsec, true
}

// atoi reads a short run of decimal digits.
func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// daysIn returns the number of days of month m of year y.
func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar (Howard Hinnant's days_from_civil), for y >= 0.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := (y+400)/400 - 1 // floor(y / 400) for y >= -1
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// ParseLabel reads a label cell (spaces trimmed, any case). Accepted as
// true (anomaly): "1", "1.0", "true", "t", "yes", "y", "anomaly",
// "anomalous", "outlier", "abnormal", "fraud". Accepted as false (normal):
// "0", "0.0", "false", "f", "no", "n", "normal", "inlier", "ok", "legit".
// Anything else, including an empty cell, reports ok = false.
func ParseLabel(s string) (anomaly, ok bool) {
	s = trimSpace(s)
	if len(s) > len("anomalous") {
		return false, false
	}
	var lower [len("anomalous")]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	switch string(lower[:len(s)]) {
	case "1", "1.0", "true", "t", "yes", "y", "anomaly", "anomalous", "outlier", "abnormal", "fraud":
		return true, true
	case "0", "0.0", "false", "f", "no", "n", "normal", "inlier", "ok", "legit":
		return false, true
	}
	return false, false
}

// parseBool reads "true" or "false" in any case.
func parseBool(s string) (v, ok bool) {
	switch len(s) {
	case 4:
		return true, (s[0]|0x20) == 't' && (s[1]|0x20) == 'r' && (s[2]|0x20) == 'u' && (s[3]|0x20) == 'e'
	case 5:
		return false, (s[0]|0x20) == 'f' && (s[1]|0x20) == 'a' && (s[2]|0x20) == 'l' && (s[3]|0x20) == 's' && (s[4]|0x20) == 'e'
	}
	return false, false
}

// number kinds returned by parseNumber.
const (
	notNumber = iota
	isInt
	isFloat
)

// maxNumberLen bounds the text parsed as a number; longer cells are strings.
const maxNumberLen = 256

// parseNumber reads s as a base-10 int64 or a finite decimal float. Hex
// floats, underscores, Inf and NaN are not numbers.
func parseNumber(s string) (kind int, i int64, f float64) {
	if len(s) == 0 || len(s) > maxNumberLen {
		return notNumber, 0, 0
	}
	digitsOnly := true
	for k := 0; k < len(s); k++ {
		c := s[k]
		switch {
		case '0' <= c && c <= '9':
		case (c == '+' || c == '-') && k == 0:
		case c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-':
			digitsOnly = false
		default:
			return notNumber, 0, 0
		}
	}
	if digitsOnly {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			return isInt, v, float64(v)
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return notNumber, 0, 0
	}
	return isFloat, 0, v
}

// trimSpace trims ASCII white space.
func trimSpace(s string) string {
	for len(s) > 0 && isASCIISpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isASCIISpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// Kinds seen in a column, as bits.
const (
	seenInt uint8 = 1 << iota
	seenFloat
	seenBool
	seenTime
	seenString
)

// column accumulates one column's inference and statistics.
type column struct {
	name    string
	seen    uint8
	missing int

	minF, maxF float64  // over int and float cells
	minT, maxT [2]int64 // Unix seconds and nanoseconds
	bools      [2]bool  // false, true seen

	unique map[uint64]struct{} // FNV-1a hashes of the distinct texts
	capped bool
}

// observe records a non-missing cell (spaces trimmed).
func (c *column) observe(s string, maxUnique int) {
	if !c.capped {
		if c.unique == nil {
			c.unique = make(map[uint64]struct{})
		}
		c.unique[fnv1a(s)] = struct{}{}
		if len(c.unique) >= maxUnique {
			c.capped, c.unique = true, nil // at least maxUnique: stop counting
		}
	}
	if c.seen&seenString != 0 {
		return // a string column stays one
	}
	if kind, _, f := parseNumber(s); kind != notNumber {
		if c.seen&(seenInt|seenFloat) == 0 {
			c.minF, c.maxF = f, f
		} else {
			c.minF, c.maxF = min(c.minF, f), max(c.maxF, f)
		}
		if kind == isInt {
			c.seen |= seenInt
		} else {
			c.seen |= seenFloat
		}
	} else if v, ok := parseBool(s); ok {
		c.seen |= seenBool
		c.bools[b2i(v)] = true
	} else if sec, nsec, ok := parseTimestamp(s); ok {
		t := [2]int64{sec, nsec}
		if c.seen&seenTime == 0 || t[0] < c.minT[0] || (t[0] == c.minT[0] && t[1] < c.minT[1]) {
			c.minT = t
		}
		if c.seen&seenTime == 0 || t[0] > c.maxT[0] || (t[0] == c.maxT[0] && t[1] > c.maxT[1]) {
			c.maxT = t
		}
		c.seen |= seenTime
	} else {
		c.seen |= seenString
	}
	if c.seen&(c.seen-1) != 0 && c.seen != seenInt|seenFloat {
		c.seen |= seenString // a mix of kinds
	}
}

// typ returns the column's type.
func (c *column) typ() Type {
	switch {
	case c.seen == 0:
		return TypeEmpty
	case c.seen&seenString != 0:
		return TypeString
	case c.seen == seenInt:
		return TypeInt
	case c.seen&^seenInt == seenFloat:
		return TypeFloat
	case c.seen == seenBool:
		return TypeBool
	default:
		return TypeTimestamp
	}
}

// uniqueCount returns the distinct values counted, capped.
func (c *column) uniqueCount(maxUnique int) int {
	if c.capped {
		return maxUnique
	}
	return len(c.unique)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fnv1a is the 64-bit FNV-1a hash: distinct values are counted by hash, so
// memory per column is bounded whatever the cell sizes.
func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
