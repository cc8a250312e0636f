package dataset

import (
	"io"
	"runtime"
	"strconv"
	"testing"
)

// csvGen streams a generated transactions CSV of about size bytes without
// holding it: id, amount, merchant (50 values), customer (high cardinality),
// at, card_present, is_fraud.
type csvGen struct {
	size, n int64
	row     int
	buf     []byte
}

func newCSVGen(size int64) *csvGen {
	return &csvGen{size: size, buf: []byte("id,amount,merchant,customer,at,card_present,is_fraud\n")}
}

func (g *csvGen) Read(p []byte) (int, error) {
	for len(g.buf) < len(p) && g.n+int64(len(g.buf)) < g.size {
		g.row++
		r := g.row
		b := g.buf
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, float64(r%100000)/100, 'f', 2, 64)
		b = append(b, ",merchant_"...)
		b = strconv.AppendInt(b, int64(r*7%50), 10)
		b = append(b, `,"customer `...)
		b = strconv.AppendInt(b, int64(r*7919%1000003), 10)
		b = append(b, `",2024-0`...)
		b = strconv.AppendInt(b, int64(1+r%9), 10)
		b = append(b, '-', '1', byte('0'+r%10), ' ', '1', byte('0'+r%10), ':', '3', '0', ':', '0', '0')
		if r%3 == 0 {
			b = append(b, ",true,"...)
		} else {
			b = append(b, ",false,"...)
		}
		if r%97 == 0 {
			b = append(b, "1\r\n"...)
		} else {
			b = append(b, "0\r\n"...)
		}
		g.buf = b
	}
	if len(g.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, g.buf)
	g.buf = g.buf[:copy(g.buf, g.buf[n:])]
	g.n += int64(n)
	return n, nil
}

// TestMemoryBounded ingests a generated 50 MB CSV, discarding the chunks,
// and checks that the heap never grows by more than 100 MB (it is about the
// open chunk, the read buffer and the distinct-value sets).
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 50 MB")
	}
	const size = 50 << 20
	const bound = 100 << 20
	runtime.GC()
	var before, now runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := uint64(0)
	stored := 0
	s, err := IngestCSV(newCSVGen(size), Options{LabelColumn: "is_fraud"}, func(c Chunk) error {
		stored += len(c.Data) // a store would write it; it is dropped here
		if c.Index%16 == 0 {
			runtime.ReadMemStats(&now)
			peak = max(peak, now.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&now)
	peak = max(peak, now.HeapAlloc)
	growth := int64(peak) - int64(before.HeapAlloc)
	t.Logf("%d rows, %d chunks, %d MB stored; heap growth %.1f MB, %.0f MB allocated in total",
		s.Rows, len(s.ChunkSizes), stored>>20, float64(growth)/(1<<20), float64(now.TotalAlloc-before.TotalAlloc)/(1<<20))
	if growth > bound {
		t.Errorf("heap grew by %d MB ingesting %d MB, want < %d MB", growth>>20, size>>20, bound>>20)
	}
	if s.Rows < 400_000 {
		t.Errorf("%d rows, want a 50 MB input", s.Rows)
	}
	if c := s.Columns[3]; c.UniqueValues == nil || *c.UniqueValues != DefaultMaxUnique || !c.UniqueCapped {
		t.Errorf("customer: %+v, want the unique cap", c)
	}
	if c := s.Columns[2]; c.UniqueValues == nil || *c.UniqueValues != 50 {
		t.Errorf("merchant: %+v, want 50 unique values", c)
	}
	if c := s.Columns[1]; c.Type != TypeFloat || c.Min != 0.0 || c.Max != 999.99 {
		t.Errorf("amount: %+v, want float in [0, 999.99]", c)
	}
}
