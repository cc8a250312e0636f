package nab

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// timeLayout is the timestamp format of NAB's data and results files.
const timeLayout = time.DateTime

// parseData parses a NAB data file: a "timestamp,value" header, then one
// row per sample. Blank lines are skipped, as pandas does.
func parseData(text string) ([]time.Time, []float64, error) {
	header, text := nextLine(text)
	if header != "timestamp,value" {
		return nil, nil, fmt.Errorf("header %q, want %q", header, "timestamp,value")
	}
	n := strings.Count(text, "\n") + 1
	ts := make([]time.Time, 0, n)
	vs := make([]float64, 0, n)
	for lineNo := 2; text != ""; lineNo++ {
		var line string
		line, text = nextLine(text)
		if line == "" {
			continue
		}
		tf, vf, ok := strings.Cut(line, ",")
		if !ok || strings.Contains(vf, ",") {
			return nil, nil, fmt.Errorf("line %d: %q is not timestamp,value", lineNo, line)
		}
		t, err := parseTime(tf)
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: %w", lineNo, err)
		}
		v, err := strconv.ParseFloat(vf, 64)
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: value: %w", lineNo, err)
		}
		ts = append(ts, t)
		vs = append(vs, v)
	}
	return ts, vs, nil
}

// nextLine splits off the first line of s, without its "\n" or "\r\n".
func nextLine(s string) (line, rest string) {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		line, rest = s[:i], s[i+1:]
	} else {
		line = s
	}
	return strings.TrimSuffix(line, "\r"), rest
}

// field returns the k-th comma-separated field of line.
func field(line string, k int) (string, bool) {
	for ; k > 0; k-- {
		i := strings.IndexByte(line, ',')
		if i < 0 {
			return "", false
		}
		line = line[i+1:]
	}
	if i := strings.IndexByte(line, ','); i >= 0 {
		line = line[:i]
	}
	return line, true
}

// parseTime parses a NAB timestamp, "2014-04-10 07:15:00" with an optional
// fraction of a second ("2014-04-10 07:15:00.000000" in the labels files),
// as UTC.
func parseTime(s string) (time.Time, error) {
	if t, ok := parseTimeFast(s); ok {
		return t, nil
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp: %w", err)
	}
	return t, nil
}

// parseTimeFast parses the common "YYYY-MM-DD HH:MM:SS" form without
// time.Parse's generality; it reports false for anything else, including
// out-of-range fields, which parseTime then hands to time.Parse.
func parseTimeFast(s string) (time.Time, bool) {
	if len(s) != len(timeLayout) || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 ||
		month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // 31 April and the like
		return time.Time{}, false
	}
	return t, true
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = 10*n + int(c-'0')
	}
	return n, true
}
