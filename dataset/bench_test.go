package dataset

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
)

var benchSink any

// genCSV returns a generated transactions CSV of about size bytes.
func genCSV(tb testing.TB, size int64) []byte {
	tb.Helper()
	b, err := io.ReadAll(newCSVGen(size))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

var benchSizes = []struct {
	name string
	size int64
}{{"small-64KB", 64 << 10}, {"medium-1MB", 1 << 20}, {"large-16MB", 16 << 20}}

// BenchmarkIngestCSV measures the whole CSV path: parse, infer, gather
// statistics, check labels and encode chunks (dropped).
func BenchmarkIngestCSV(b *testing.B) {
	for _, sz := range benchSizes {
		data := genCSV(b, sz.size)
		b.Run(sz.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				s, err := IngestCSV(bytes.NewReader(data), Options{LabelColumn: "is_fraud"}, func(Chunk) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				benchSink = s
			}
		})
	}
}

// BenchmarkCSVReader measures the CSV parser alone.
func BenchmarkCSVReader(b *testing.B) {
	data := genCSV(b, 16<<20)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, _ := NewCSVReader(bytes.NewReader(data), Options{})
		n := 0
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(rec)
		}
		benchSink = n
	}
}

// BenchmarkIngestJSON measures the JSON rows path on the same data.
func BenchmarkIngestJSON(b *testing.B) {
	var sb strings.Builder
	sb.WriteByte('[')
	for i := range 20000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"id":` + strconv.Itoa(i) + `,"amount":` + strconv.FormatFloat(float64(i%1000)/10, 'f', 1, 64) +
			`,"merchant":"m` + strconv.Itoa(i%50) + `","at":"2024-01-02T10:00:00Z","card_present":true}`)
	}
	sb.WriteByte(']')
	data := []byte(sb.String())
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		s, err := IngestJSON(bytes.NewReader(data), Options{}, func(Chunk) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		benchSink = s
	}
}

// BenchmarkTable measures reading stored chunks back into a detect.Table.
func BenchmarkTable(b *testing.B) {
	data := genCSV(b, 4<<20)
	var chunks [][]byte
	s, err := IngestCSV(bytes.NewReader(data), Options{LabelColumn: "is_fraud"}, func(c Chunk) error {
		chunks = append(chunks, c.Data)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		t, _, err := s.Table(loader(chunks), nil)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = t
	}
}
