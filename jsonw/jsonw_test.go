package jsonw

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

func TestStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "tab\tnl\n\x00\x01\x1f", "é ü 漢字 🙂",
		"bad \xff utf8", "line\u2028sep\u2029", "<html>&"} {
		got := String(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("String(%q) = %s: not JSON: %v", s, got, err)
		}
		want := s
		if s == "bad \xff utf8" {
			want = "bad \ufffd utf8"
		}
		if back != want {
			t.Errorf("String(%q) decodes to %q", s, back)
		}
	}
}

func TestFloatMatchesEncodingJSON(t *testing.T) {
	for _, x := range []float64{0, 1, -1, 0.1, 1.0 / 3, 1e-6, 9.99e-7, 1e-7, 123456789, 1e20, 1e21, 1.5e300,
		-2.5e-10, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		want, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		if got := Float(nil, x); string(got) != string(want) {
			t.Errorf("Float(%v) = %s, encoding/json %s", x, got, want)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got := Float(nil, x); string(got) != "null" {
			t.Errorf("Float(%v) = %s, want null", x, got)
		}
	}
	if got := string(Floats(nil, []float64{1, 0.5, math.NaN()})); got != "[1,0.5,null]" {
		t.Errorf("Floats = %s", got)
	}
	if got := string(Bool(Bool(nil, true), false)); got != "truefalse" {
		t.Errorf("Bool = %s", got)
	}
}

func TestNoAllocations(t *testing.T) {
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() {
		buf = String(buf[:0], "a \"quoted\" string é")
		buf = Float(buf, 0.123456789)
	}); n != 0 {
		t.Errorf("%v allocations per run, want 0", n)
	}
}

func TestFixed(t *testing.T) {
	for _, c := range []struct {
		x    float64
		prec int
		want string
	}{
		{0, 6, "0"}, {3, 6, "3"}, {2.5, 6, "2.5"}, {0.1234567, 6, "0.123457"}, {-0.1234564, 6, "-0.123456"},
		{0.000001, 6, "0.000001"}, {0.0000004, 6, "0"}, {-0.0000004, 6, "0"}, {12.05, 1, "12.1"}, {99.99999999, 6, "100"},
		{1e300, 6, "1e+300"}, {math.NaN(), 6, "null"}, {7.25, 0, "7"}, {0.05, 9, "0.05"},
	} {
		if got := string(Fixed(nil, c.x, c.prec)); got != c.want {
			t.Errorf("Fixed(%v, %d) = %s, want %s", c.x, c.prec, got, c.want)
		}
	}
	// Against strconv on many values: the same number within half a unit of the last place.
	rng := rand.New(rand.NewPCG(1, 1))
	for range 100000 {
		x := (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(12)-4))
		got := Fixed(nil, x, 6)
		var back float64
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("Fixed(%v) = %s: not JSON", x, got)
		}
		if math.Abs(back-x) > 0.5e-6*(1+1e-9)+math.Abs(x)*1e-15 {
			t.Fatalf("Fixed(%v) = %s: off by %g", x, got, back-x)
		}
	}
	if got := string(FixedArray(nil, []float64{1, 0.5, 1.0 / 3}, 3)); got != "[1,0.5,0.333]" {
		t.Errorf("FixedArray = %s", got)
	}
}

func BenchmarkFloats(b *testing.B) {
	v := make([]float64, 100)
	for i := range v {
		v[i] = math.Sin(float64(i)) * 1.7
	}
	buf := make([]byte, 0, 4096)
	b.Run("shortest", func(b *testing.B) {
		for b.Loop() {
			buf = Floats(buf[:0], v)
		}
	})
	b.Run("fixed6", func(b *testing.B) {
		for b.Loop() {
			buf = FixedArray(buf[:0], v, 6)
		}
	})
}
