package detect

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"testing"
)

// FuzzLoad feeds model bodies with a valid checksum to Load, so that the
// decoder itself (not only the checksum) meets corrupt input. Load must
// return an error or a detector that scores without panicking.
func FuzzLoad(f *testing.F) {
	tab := gaussTable(30, 2, 50)
	for _, name := range algorithmNames() {
		d := MustFit(f, name, fastParams(name), tab)
		b, _ := d.MarshalBinary()
		f.Add(b[:len(b)-4])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b := binary.LittleEndian.AppendUint32(append([]byte(nil), body...), crc32.ChecksumIEEE(body))
		d, err := Load(b)
		if err != nil {
			return
		}
		x := make([]float64, d.NumFeatures())
		d.ScoreVector(x)
		d.Calibrate(0)
	})
}

// FuzzScoreRow scores rows built from arbitrary bytes (numbers from raw
// bits, NaN and ±Inf included; strings; bools; nil; unknown and repeated
// columns) with several fitted detectors: Score and Vector must return a
// result or an error, never panic, and a returned score must be finite.
func FuzzScoreRow(f *testing.F) {
	train := Table{Columns: []string{"amount", "merchant", "flag"}}
	for i := 0; i < 60; i++ {
		train.Rows = append(train.Rows, []any{float64(i % 13), []string{"a", "b", "c"}[i%3], i%2 == 0})
	}
	var dets []*Detector
	for _, name := range []string{"IsolationForest", "LOF", "HBOS", "ECOD", "EllipticEnvelope", "LODA", "HalfSpaceTrees"} {
		dets = append(dets, MustFit(f, name, fastParams(name), train))
	}
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add([]byte("\x01\xff\xf8\x00\x00\x00\x00\x00\x00\x02merchant"))
	f.Fuzz(func(t *testing.T, b []byte) {
		names := []string{"amount", "merchant", "flag", "other"}
		var cols []string
		var row []any
		for len(b) >= 2 && len(cols) < 6 {
			col, kind := names[int(b[0])%len(names)], b[1]%6
			b = b[2:]
			var v any
			switch kind {
			case 0:
				if len(b) >= 8 {
					v = math.Float64frombits(binary.LittleEndian.Uint64(b))
					b = b[8:]
				}
			case 1:
				n := min(len(b), 4)
				v = string(b[:n])
				b = b[n:]
			case 2:
				v = len(b)%2 == 0
			case 3:
				v = nil
			case 4:
				v = int64(len(b)) - 3
			case 5:
				v = []byte{1}
			}
			cols = append(cols, col)
			row = append(row, v)
		}
		tab := Table{Columns: cols, Rows: [][]any{row}}
		for _, d := range dets {
			res, err := d.Score(tab)
			if err == nil && (math.IsNaN(res[0].Score) || math.IsInf(res[0].Score, 0)) {
				t.Fatalf("%s: score %v for %v", d.Algorithm(), res[0].Score, row)
			}
			if x, err := d.Vector(nil, cols, row); err == nil {
				d.ScoreVector(x)
			}
		}
	})
}
