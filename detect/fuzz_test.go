package detect

import (
	"encoding/binary"
	"hash/crc32"
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
