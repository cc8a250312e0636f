package load

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestSummarise(t *testing.T) {
	d := make([]time.Duration, 100)
	for i := range d {
		d[i] = time.Duration(100-i) * time.Millisecond // reversed: summarise sorts
	}
	l := summarise(d)
	if l.N != 100 || l.P50 != 51*time.Millisecond || l.P99 != 100*time.Millisecond || l.Max != 100*time.Millisecond || l.Mean != 50500*time.Microsecond {
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
TF requests=17391 errors=0 non2xx=3 p50=8560 p90=14160 p99=21550 max=36220 mean=9113
`
	r, err := parseWrk(out, 32, 6*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 17388 || r.Errors != 3 || r.Latency.P99 != 21550*time.Microsecond || r.Latency.Max != 36220*time.Microsecond || r.Latency.Mean != 9113*time.Microsecond {
		t.Errorf("parseWrk = %+v", r)
	}
	if want := 17388 / 5.02; r.RPS < want-0.01 || r.RPS > want+0.01 {
		t.Errorf("RPS = %v, want %v (wrk's own duration)", r.RPS, want)
	}
	if _, err := parseWrk("unable to connect", 1, time.Second); err == nil {
		t.Error("parseWrk accepted output without a summary")
	}
}

// TestClosedLoopCheck: a run whose mean latency fits its throughput passes; one whose recorded
// mean is far above conns / throughput (the wrk runs of bench/RESULTS.md that reported a 4.19 ms
// mean at 16 connections and 16,967 req/s) is flagged.
func TestClosedLoopCheck(t *testing.T) {
	if w := closedLoopCheck(Latencies{Mean: 900 * time.Microsecond}, 16, 16967); w != "" {
		t.Errorf("consistent run flagged: %s", w)
	}
	w := closedLoopCheck(Latencies{Mean: 4186 * time.Microsecond}, 16, 16967)
	if !strings.Contains(w, "4.19 ms") || !strings.Contains(w, "0.94 ms") {
		t.Errorf("inconsistent run: %q, want a warning naming 4.19 ms and 0.94 ms", w)
	}
	if w := closedLoopCheck(Latencies{}, 16, 16967); w != "" {
		t.Errorf("run without a mean flagged: %s", w)
	}
}
