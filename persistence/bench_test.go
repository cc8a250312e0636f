package persistence_test

import (
	"fmt"
	"testing"
)

// BenchmarkWriteSync measures one synced Write of a batch of n small values: the cost of a
// group commit of the detection path.
func BenchmarkWriteSync(b *testing.B) {
	for _, n := range []int{1, 64, 512} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := MustOpen(b, "")
			keys := make([][]byte, n)
			vals := make([][]byte, n)
			for i := range vals {
				vals[i] = make([]byte, 300)
			}
			b.ReportAllocs()
			b.SetBytes(int64(300 * n))
			for i := 0; b.Loop(); i++ {
				for j := range keys {
					keys[j] = fmt.Appendf(keys[j][:0], "r/%012d-%04d", i, j)
				}
				if err := s.Write(keys, vals); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
