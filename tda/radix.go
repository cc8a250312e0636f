package tda

// radixSort sorts keys in increasing order, moving pay alongside, and is stable. tk and tp
// are scratch buffers of the same length. It returns the sorted slices, which are either
// (keys, pay) or (tk, tp). Non-negative float64 values sort like their bit patterns.
func radixSort(keys []uint64, pay []uint32, tk []uint64, tp []uint32) ([]uint64, []uint32) {
	n := len(keys)
	if n <= 48 {
		insertionSort(keys, pay)
		return keys, pay
	}
	var cnt [8][256]int
	for _, k := range keys {
		cnt[0][k&0xff]++
		cnt[1][k>>8&0xff]++
		cnt[2][k>>16&0xff]++
		cnt[3][k>>24&0xff]++
		cnt[4][k>>32&0xff]++
		cnt[5][k>>40&0xff]++
		cnt[6][k>>48&0xff]++
		cnt[7][k>>56]++
	}
	tk, tp = tk[:n], tp[:n]
	for pass := range 8 {
		c := &cnt[pass]
		shift := uint(pass * 8)
		if c[keys[0]>>shift&0xff] == n {
			continue // every key has the same digit: the pass would not move anything
		}
		sum := 0
		for i, v := range c {
			c[i] = sum
			sum += v
		}
		for i, k := range keys {
			d := k >> shift & 0xff
			pos := c[d]
			c[d]++
			tk[pos] = k
			tp[pos] = pay[i]
		}
		keys, tk = tk, keys
		pay, tp = tp, pay
	}
	return keys, pay
}

func insertionSort(keys []uint64, pay []uint32) {
	for i := 1; i < len(keys); i++ {
		k, p := keys[i], pay[i]
		j := i
		for j > 0 && keys[j-1] > k {
			keys[j], pay[j] = keys[j-1], pay[j-1]
			j--
		}
		keys[j], pay[j] = k, p
	}
}
