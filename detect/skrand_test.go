package detect

import (
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"testing"
)

// TestNumPyStreamGolden checks the legacy RandomState stream against NumPy's
// own draws (testdata/numpy_random.json, written by numpy_random.py with
// NumPy 1.24 and scikit-learn 1.2.1). The draws are integers: they must match
// exactly.
func TestNumPyStreamGolden(t *testing.T) {
	raw, err := os.ReadFile("testdata/numpy_random.json")
	if err != nil {
		t.Fatal(err)
	}
	var g map[string][]int
	var sorts struct {
		Argsort []struct {
			V     []string
			Order []int
		}
	}
	if err := json.Unmarshal(raw, &sorts); err != nil {
		t.Fatal(err)
	}
	for _, c := range sorts.Argsort {
		v := make([]float64, len(c.V))
		for i, s := range c.V {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatal(err)
			}
		}
		if got := argsortNumPy(v); !slices.Equal(got, c.Order) {
			t.Errorf("argsort of %d values with ties:\n got %v\nwant %v", len(v), got, c.Order)
		}
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	g = map[string][]int{}
	for k, m := range all {
		if k == "argsort" {
			continue
		}
		var ints []int
		if err := json.Unmarshal(m, &ints); err != nil {
			t.Fatal(err)
		}
		g[k] = ints
	}
	check := func(name string, got []int) {
		t.Helper()
		if !slices.Equal(got, g[name]) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, g[name])
		}
	}
	draw := func(m *mt19937, k int, high uint64) []int {
		out := make([]int, k)
		for i := range out {
			out[i] = int(m.randint(high))
		}
		return out
	}

	check("randint_mask", draw(newMT19937(42), 20, 1<<31-1))

	m := newMT19937(7)
	small := draw(m, 20, 5)
	small = append(small, draw(m, 3, 1)...) // randint(1) draws nothing
	check("randint_small", append(small, draw(m, 10, 1000)...))

	check("raw32", draw(newMT19937(123456789), 10, 1<<32))
	check("perm", newMT19937(3).permutation(37))

	m = newMT19937(11)
	track := m.sampleWithoutReplacement(10, 10)
	check("swr_track", append(track, m.sampleWithoutReplacement(100000, 256)[:30]...))
	check("swr_perm", newMT19937(12).sampleWithoutReplacement(1000, 256)[:30])
	m = newMT19937(13)
	check("swr_reservoir", append(m.sampleWithoutReplacement(300, 299)[:40], m.sampleWithoutReplacement(50, 40)...))
}

// TestSampleWithoutReplacementIsASample checks both of its methods return
// distinct indices in range.
func TestSampleWithoutReplacementIsASample(t *testing.T) {
	for _, c := range []struct{ pop, k int }{{10, 10}, {1, 1}, {1000, 256}, {100000, 256}, {300, 299}} {
		s := newMT19937(5).sampleWithoutReplacement(c.pop, c.k)
		if len(s) != c.k {
			t.Fatalf("%v: %d indices", c, len(s))
		}
		seen := map[int]bool{}
		for _, v := range s {
			if v < 0 || v >= c.pop || seen[v] {
				t.Fatalf("%v: index %d repeated or out of range", c, v)
			}
			seen[v] = true
		}
	}
}

// TestArgsortNumPyHeapsortFallback checks the heapsort that takes over past
// NumPy's depth limit against a plain sort: it must order any input.
func TestArgsortNumPyHeapsortFallback(t *testing.T) {
	v := []float64{5, 3, 9, 1, 1, 7, 0, -2, 8, 3, 6, 2, 4, 4, 11, 10, -1}
	for n := 0; n <= len(v); n++ {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		heapsortIdx(v, idx, func(a, b float64) bool { return a < b })
		for i := 1; i < n; i++ {
			if v[idx[i-1]] > v[idx[i]] {
				t.Fatalf("n=%d: not sorted: %v", n, idx)
			}
		}
	}
}
