package nab

// radixBits is the width of one radix-sort digit: 4 passes over 64-bit
// keys, with a 2^16-entry count table.
const radixBits = 16

// rankedRow is a scored row with its sort key: the complemented bits of its
// anomaly score, so that ascending keys are descending non-negative scores.
type rankedRow struct {
	key uint64
	row uint32
}

// radixSort sorts a by key, ascending and stably, with tmp (at least as long
// as a) as scratch and count (2^radixBits long) as the digit table. It
// returns whichever of a and tmp holds the result. Passes whose digit is the
// same for every key are skipped.
func radixSort(a, tmp []rankedRow, count []int32) []rankedRow {
	if len(a) < 2 {
		return a
	}
	tmp = tmp[:len(a)]
	const mask = 1<<radixBits - 1
	for shift := 0; shift < 64; shift += radixBits {
		clear(count)
		for _, r := range a {
			count[(r.key>>shift)&mask]++
		}
		if int(count[(a[0].key>>shift)&mask]) == len(a) {
			continue
		}
		var sum int32
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, r := range a {
			d := (r.key >> shift) & mask
			tmp[count[d]] = r
			count[d]++
		}
		a, tmp = tmp, a
	}
	return a
}
