package load

import (
	"os"
	"testing"
	"time"
)

func TestSummarise(t *testing.T) {
	d := make([]time.Duration, 100)
	for i := range d {
		d[i] = time.Duration(100-i) * time.Millisecond // reversed: summarise sorts
	}
	l := summarise(d)
	if l.N != 100 || l.P50 != 51*time.Millisecond || l.P99 != 100*time.Millisecond || l.Max != 100*time.Millisecond {
		t.Errorf("summarise = %+v", l)
	}
	if z := summarise(nil); z.N != 0 {
		t.Errorf("summarise(nil) = %+v", z)
	}
}

func TestRSS(t *testing.T) {
	mb, err := rssMB(os.Getpid())
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if mb <= 1 || mb > 4096 {
		t.Errorf("rssMB(self) = %v MB", mb)
	}
}
