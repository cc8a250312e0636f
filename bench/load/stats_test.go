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

func TestParseWrk(t *testing.T) {
	out := `Running 5s test @ http://127.0.0.1:1/x
  1 threads and 32 connections
  17391 requests in 5.02s, 13.1MB read
TF requests=17391 errors=0 non2xx=3 p50=8560 p90=14160 p99=21550 max=36220
`
	r, err := parseWrk(out, 32, 6*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 17388 || r.Errors != 3 || r.Latency.P99 != 21550*time.Microsecond || r.Latency.Max != 36220*time.Microsecond {
		t.Errorf("parseWrk = %+v", r)
	}
	if want := 17388 / 5.02; r.RPS < want-0.01 || r.RPS > want+0.01 {
		t.Errorf("RPS = %v, want %v (wrk's own duration)", r.RPS, want)
	}
	if _, err := parseWrk("unable to connect", 1, time.Second); err == nil {
		t.Error("parseWrk accepted output without a summary")
	}
}
