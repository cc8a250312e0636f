package dataset

import (
	"strings"
	"testing"
	"time"
)

func TestParseNumber(t *testing.T) {
	f := func(in string, kind int, want float64) {
		t.Helper()
		k, _, got := parseNumber(in)
		if k != kind || (k != notNumber && got != want) {
			t.Errorf("parseNumber(%q) = %d, %v; want %d, %v", in, k, got, kind, want)
		}
	}
	f("0", isInt, 0)
	f("-42", isInt, -42)
	f("+7", isInt, 7)
	f("007", isInt, 7)
	f("9223372036854775807", isInt, 9223372036854775807)
	f("9223372036854775808", isFloat, 9223372036854775808) // past int64: a float
	f("1.5", isFloat, 1.5)
	f(".5", isFloat, 0.5)
	f("5.", isFloat, 5)
	f("-1e3", isFloat, -1000)
	f("2.5E-3", isFloat, 0.0025)
	f("1e400", notNumber, 0)
	f("NaN", notNumber, 0)
	f("Inf", notNumber, 0)
	f("0x10", notNumber, 0)
	f("1_000", notNumber, 0)
	f("1,5", notNumber, 0)
	f("1-2", notNumber, 0)
	f("-", notNumber, 0)
	f("", notNumber, 0)
}

func TestParseTimestamp(t *testing.T) {
	f := func(in string, ok bool, want time.Time) {
		t.Helper()
		got, gotOK := ParseTimestamp(in)
		if gotOK != ok || !got.Equal(want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v, %v", in, got, gotOK, want, ok)
		}
	}
	day := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	at := time.Date(2024, 3, 5, 14, 30, 15, 0, time.UTC)
	f("2024-03-05", true, day)
	f("2024-03-05 14:30:15", true, at)
	f("2024-03-05T14:30:15", true, at)
	f("2024-03-05T14:30:15Z", true, at)
	f("2024-03-05T16:30:15+02:00", true, at)
	f("2024-03-05T14:30:15.250Z", true, at.Add(250*time.Millisecond))
	f("2024-03-05 14:30:15.5", true, at.Add(500*time.Millisecond))
	f("2024-13-05", false, time.Time{})
	f("2024-03-05 25:00:00", false, time.Time{})
	f("2024/03/05", false, time.Time{})
	f("20240305", false, time.Time{})
	f("2024-03-05T14:30", false, time.Time{})
	f("2024-03-05 14:30:15 UTC", false, time.Time{})
}

func TestParseLabel(t *testing.T) {
	for _, s := range []string{"1", "1.0", "true", "TRUE", " yes ", "Y", "anomaly", "Anomalous", "outlier", "fraud", "abnormal", "t"} {
		if a, ok := ParseLabel(s); !a || !ok {
			t.Errorf("ParseLabel(%q) = %v, %v; want true, true", s, a, ok)
		}
	}
	for _, s := range []string{"0", "0.0", "false", "False", "no", "N", "normal", "inlier", "OK", "legit", "f"} {
		if a, ok := ParseLabel(s); a || !ok {
			t.Errorf("ParseLabel(%q) = %v, %v; want false, true", s, a, ok)
		}
	}
	for _, s := range []string{"", "2", "-1", "maybe", "anomalously", "NA"} {
		if _, ok := ParseLabel(s); ok {
			t.Errorf("ParseLabel(%q) accepted", s)
		}
	}
}

func TestInference(t *testing.T) {
	f := func(name string, cells []string, want Type) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			var c column
			for _, s := range cells {
				c.observe(s, 100)
			}
			if got := c.typ(); got != want {
				t.Errorf("type of %q = %v, want %v", cells, got, want)
			}
		})
	}
	f("Empty", nil, TypeEmpty)
	f("Int", []string{"1", "-2", "300"}, TypeInt)
	f("IntThenFloat", []string{"1", "2", "2.5"}, TypeFloat)
	f("FloatThenInt", []string{"2.5", "1"}, TypeFloat)
	f("Bool", []string{"true", "FALSE", "True"}, TypeBool)
	f("Timestamps", []string{"2024-01-01", "2024-01-02 10:00:00", "2024-01-03T10:00:00Z"}, TypeTimestamp)
	f("IntThenText", []string{"1", "2", "three"}, TypeString)
	f("IntAndBool", []string{"1", "true"}, TypeString)
	f("BoolAndTimestamp", []string{"true", "2024-01-01"}, TypeString)
	f("NumberAndTimestamp", []string{"2024-01-01", "5"}, TypeString)
	f("TextThenNumbers", []string{"x", "1", "2"}, TypeString)
	f("Inf", []string{"1", "Inf"}, TypeString)
}

func TestTypeText(t *testing.T) {
	for typ := TypeEmpty; typ <= TypeString; typ++ {
		b, err := typ.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Type
		if err := back.UnmarshalText(b); err != nil || back != typ || typ.String() != string(b) {
			t.Errorf("%v: round trip %q -> %v, %v", typ, b, back, err)
		}
	}
	if _, err := Type(99).MarshalText(); err == nil {
		t.Error("Type(99).MarshalText: no error")
	}
	var typ Type
	if err := typ.UnmarshalText([]byte("decimal")); err == nil {
		t.Error(`UnmarshalText("decimal"): no error`)
	}
}

// stdTimestamp parses s with time.Parse and the layouts ParseTimestamp
// documents.
func stdTimestamp(s string) (time.Time, bool) {
	layouts := []string{time.DateOnly, "2006-01-02 15:04:05", time.RFC3339, "2006-01-02T15:04:05"}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// FuzzParseTimestamp checks ParseTimestamp against time.Parse.
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{
		"2024-03-05", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31T23:59:59Z",
		"2024-03-05 14:30:15", "2024-03-05T14:30:15", "2024-03-05T14:30:15.123456789123Z",
		"2024-03-05T14:30:15,5+05:30", "2024-03-05T14:30:15-23:59", "2024-03-05T24:00:00Z",
		"2024-03-05 14:30:15Z", "2024-03-05T14:30:15.Z", "2024-03-05t14:30:15z", "1969-12-31T23:59:59.999Z",
		"2024-03-05 1:30:15", "2024-3-05", "+024-03-05", "0000-01-01  0:00:00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseTimestamp(s)
		want, wantOK := stdTimestamp(s)
		if ok != wantOK {
			if wantOK && (strings.Contains(s, "  ") || (len(s) > 12 && s[12] == ':')) {
				return // runs of spaces or a one-digit hour: documented difference
			}
			t.Fatalf("ParseTimestamp(%q) = %v, %v; time.Parse %v, %v", s, got, ok, want, wantOK)
		}
		if ok && (!got.Equal(want) || got.Location() != time.UTC) {
			t.Fatalf("ParseTimestamp(%q) = %v, time.Parse %v", s, got, want)
		}
	})
}
