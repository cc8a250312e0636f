package dataset

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// readAll reads a whole CSV with opts and returns the header and records.
func readAll(in string, opts Options) ([]string, [][]string, error) {
	r, err := NewCSVReader(strings.NewReader(in), opts)
	if err != nil {
		return nil, nil, err
	}
	h, err := r.Header()
	if err != nil {
		return nil, nil, err
	}
	var recs [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return h, recs, nil
		}
		if err != nil {
			return h, recs, err
		}
		row := make([]string, len(rec))
		for i, f := range rec {
			row[i] = string(f)
		}
		recs = append(recs, row)
	}
}

func TestCSVReader(t *testing.T) {
	f := func(name, in string, opts Options, header []string, recs [][]string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			h, got, err := readAll(in, opts)
			if err != nil {
				t.Fatalf("read %q: %v", in, err)
			}
			if !reflect.DeepEqual(h, header) {
				t.Errorf("header = %q, want %q", h, header)
			}
			if !reflect.DeepEqual(got, recs) {
				t.Errorf("records = %q, want %q", got, recs)
			}
		})
	}
	ab := []string{"a", "b"}
	f("OK", "a,b\n1,2\n3,4\n", Options{}, ab, [][]string{{"1", "2"}, {"3", "4"}})
	f("NoFinalNewline", "a,b\n1,2\n3,4", Options{}, ab, [][]string{{"1", "2"}, {"3", "4"}})
	f("BOM", "\xef\xbb\xbfa,b\n1,2\n", Options{}, ab, [][]string{{"1", "2"}})
	f("CRLF", "a,b\r\n1,2\r\n3,4\r\n", Options{}, ab, [][]string{{"1", "2"}, {"3", "4"}})
	f("CRAtEOF", "a,b\r\n1,2\r", Options{}, ab, [][]string{{"1", "2"}})
	f("LoneCRIsData", "a,b\n1\r2,3\n", Options{}, ab, [][]string{{"1\r2", "3"}})
	f("Quoted", "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n", Options{}, ab, [][]string{{"x, y", `say "hi"`}})
	f("QuotedNewlines", "a,b\n\"line1\r\nline2\nline3\",2\n", Options{}, ab, [][]string{{"line1\nline2\nline3", "2"}})
	f("EmptyFields", "a,b,c\n,,\n1,,3\n\"\",x,\n", Options{}, []string{"a", "b", "c"},
		[][]string{{"", "", ""}, {"1", "", "3"}, {"", "x", ""}})
	f("Trim", " a , b \n 1 ,\t2\t\n \" q \" , x\n", Options{}, ab, [][]string{{"1", "2"}, {" q ", "x"}})
	f("KeepSpace", "a,b\n 1 , 2\n", Options{KeepSpace: true}, ab, [][]string{{" 1 ", " 2"}})
	f("BlankLines", "\n\na,b\n\n1,2\n   \n\r\n3,4\n\n", Options{}, ab, [][]string{{"1", "2"}, {"3", "4"}})
	f("Semicolon", "a;b\n1,5;2\n", Options{Comma: ';'}, ab, [][]string{{"1,5", "2"}})
	f("Tab", "a\tb\n 1 \t\n", Options{Comma: '\t'}, ab, [][]string{{"1", ""}})
	f("OneColumnQuotedEmpty", "a\n\"\"\n1\n", Options{}, []string{"a"}, [][]string{{""}, {"1"}})
	f("UTF8", "名前,値\n\"東京\",１\n", Options{}, []string{"名前", "値"}, [][]string{{"東京", "１"}})

	// A "\r\n" split by the read buffer and fields longer than it.
	long := strings.Repeat("x", csvReadBuffer-1)
	f("LongLineCRLF", long+"\r\n"+long+"y\r\n", Options{MaxFieldBytes: 1 << 20},
		[]string{long}, [][]string{{long + "y"}})
	f("LongQuoted", "a\n\""+long+"\r\n"+long+"\"\r\n", Options{MaxFieldBytes: 1 << 20},
		[]string{"a"}, [][]string{{long + "\n" + long}})
}

func TestCSVReaderErrors(t *testing.T) {
	f := func(name, in string, opts Options, want error, line int, msg string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			_, _, err := readAll(in, opts)
			if !errors.Is(err, want) {
				t.Fatalf("read %q: error %v, want %v", in, err, want)
			}
			if line > 0 {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line != line {
					t.Errorf("read %q: error %v, want line %d", in, err, line)
				}
			}
			if !strings.Contains(err.Error(), msg) {
				t.Errorf("read %q: error %q, want it to contain %q", in, err, msg)
			}
		})
	}
	f("ErrNoHeaderEmpty", "", Options{}, ErrNoHeader, 0, "empty input")
	f("ErrNoHeaderBOM", "\xef\xbb\xbf", Options{}, ErrNoHeader, 0, "empty input")
	f("ErrNoHeaderBlank", "\n\r\n  \n", Options{}, ErrNoHeader, 0, "empty input")
	f("ErrFieldCountShort", "a,b,c\n1,2,3\n4,5\n", Options{}, ErrFieldCount, 3, "line 3: wrong number of fields: got 2, want 3")
	f("ErrFieldCountLong", "a,b\n1,2\n\n4,5,6,7\n", Options{}, ErrFieldCount, 4, "got 4, want 2")
	f("ErrFieldCountAfterQuotedNewline", "a,b\n\"x\ny\",1\n2\n", Options{}, ErrFieldCount, 4, "line 4:")
	f("ErrHeaderDuplicate", "a,b,a\n1,2,3\n", Options{}, ErrHeader, 1, `line 1: column "a": bad header: duplicate column name`)
	f("ErrHeaderDuplicateTrimmed", "\n\na, a \n", Options{}, ErrHeader, 3, "duplicate")
	f("ErrHeaderEmpty", "a,,c\n", Options{}, ErrHeader, 1, "column 2 has an empty name")
	f("ErrHeaderEmptyQuoted", "a,\" \"\n", Options{}, ErrHeader, 1, "column 2 has an empty name")
	f("ErrBareQuote", "a,b\n1,x\"y\n", Options{}, ErrBareQuote, 2, "line 2: bare")
	f("ErrBareQuoteKeepSpace", "a,b\n1, \"y\"\n", Options{KeepSpace: true}, ErrBareQuote, 2, "bare")
	f("ErrQuoteUnterminated", "a,b\n1,\"open\n\n", Options{}, ErrQuote, 2, "line 2: extraneous or missing \" in quoted field: quoted field not closed")
	f("ErrQuoteTrailing", "a,b\n1,\"x\"y\n", Options{}, ErrQuote, 2, "extraneous")
}

func TestCSVReaderLimits(t *testing.T) {
	f := func(name, in string, opts Options, limit string, value, line int) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			_, _, err := readAll(in, opts)
			var le *LimitError
			if !errors.As(err, &le) {
				t.Fatalf("read %q: error %v, want a *LimitError", in, err)
			}
			if le.Limit != limit || le.Value != value || le.Line != line {
				t.Errorf("read %q: %+v, want limit %s value %d line %d", in, le, limit, value, line)
			}
		})
	}
	f("MaxColumns", "a,b,c,d\n", Options{MaxColumns: 3}, LimitColumns, 3, 1)
	f("MaxColumnsEmptyNames", ",,,\n", Options{MaxColumns: 3}, LimitColumns, 3, 1)
	f("MaxFieldBytes", "a,b\n1,12345\n", Options{MaxFieldBytes: 4}, LimitFieldBytes, 4, 2)
	f("MaxFieldBytesQuoted", "a,b\n1,\"12\n345\"\n", Options{MaxFieldBytes: 4}, LimitFieldBytes, 4, 3)
	f("MaxFieldBytesHeader", "abcdef\n", Options{MaxFieldBytes: 4}, LimitFieldBytes, 4, 1)
	f("MaxRecordBytes", "a,b\n123,456\n", Options{MaxRecordBytes: 5}, LimitRecordBytes, 5, 2)

	if _, _, err := readAll("a,b\n1,1234\n", Options{MaxFieldBytes: 4}); err != nil {
		t.Errorf("field at the limit: %v", err)
	}
	msg := (&LimitError{Limit: LimitRows, Value: 10, Line: 12, Row: 10}).Error()
	if want := "input exceeds max_rows (10) at line 12"; msg != want {
		t.Errorf("LimitError.Error() = %q, want %q", msg, want)
	}
}

func TestOptionsErrors(t *testing.T) {
	f := func(opts Options, msg string) {
		t.Helper()
		_, err := NewBuilder(opts, func(Chunk) error { return nil })
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("NewBuilder(%+v) = %v, want an error containing %q", opts, err, msg)
		}
	}
	f(Options{MaxRows: -1}, "max_rows is -1")
	f(Options{ChunkRows: -5}, "chunk_rows")
	f(Options{Comma: '"'}, "comma")
	f(Options{Comma: 'é'}, "comma")
	if _, err := NewBuilder(Options{}, nil); err == nil {
		t.Error("NewBuilder with a nil emit: no error")
	}
}
