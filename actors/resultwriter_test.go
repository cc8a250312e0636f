package actors

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/topoforge/topoforge/persistence"
)

// TestResultWriterIntervals commits through the result writer with no interval, a negative one
// (none) and a positive one: every request's callback runs, in a bounded time.
func TestResultWriterIntervals(t *testing.T) {
	for _, iv := range []time.Duration{0, -time.Millisecond, 3 * time.Millisecond} {
		s, err := persistence.Open(persistence.SmallOptions(t.TempDir()))
		if err != nil {
			t.Fatal(err)
		}
		w := newResultWriter(s, slog.Default(), 0, iv)
		done := make(chan error, 100)
		start := time.Now()
		for i := range 100 {
			k := []byte(fmt.Sprintf("k%03d", i))
			w.submit(&writeReq{keys: [][]byte{k}, vals: [][]byte{k}, cb: func(err error) { done <- err }})
			if i%10 == 0 {
				time.Sleep(time.Millisecond)
			}
		}
		for range 100 {
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("interval %v: %v", iv, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("interval %v: a request was never committed", iv)
			}
		}
		w.close()
		if v, found, err := s.Get([]byte("k099")); err != nil || !found || string(v) != "k099" {
			t.Errorf("interval %v: k099 = %q %v %v", iv, v, found, err)
		}
		t.Logf("interval %v: 100 requests in %v", iv, time.Since(start))
		_ = s.Close()
	}
}

// TestEngineKeepsCommitInterval starts engines with commit intervals 0, -1 ms and 3 ms: the
// writer gets exactly that (0 once became 1 ms here, which added ~1 ms to every detect request
// of a server whose commits cost no sync).
func TestEngineKeepsCommitInterval(t *testing.T) {
	for _, iv := range []time.Duration{0, -time.Millisecond, 3 * time.Millisecond} {
		s, err := persistence.Open(persistence.SmallOptions(t.TempDir()))
		if err != nil {
			t.Fatal(err)
		}
		e, err := Start(Config{Store: s, ResultCommitInterval: iv})
		if err != nil {
			t.Fatal(err)
		}
		if e.writer.interval != iv {
			t.Errorf("ResultCommitInterval %v: the writer waits %v between commits", iv, e.writer.interval)
		}
		_ = e.Stop()
		_ = s.Close()
	}
}

// TestHourKeyMemo: the memo returns hourKey's answer for every (detector, time), across hour
// boundaries, detector changes and times before 1970.
func TestHourKeyMemo(t *testing.T) {
	var m hourKeyMemo
	base := time.Date(2026, 11, 24, 13, 59, 59, 0, time.UTC)
	cases := []struct {
		det string
		t   time.Time
	}{
		{"a", base}, {"a", base.Add(time.Second)}, {"a", base.Add(time.Second)}, {"b", base.Add(time.Second)},
		{"b", base.Add(time.Hour)}, {"a", base}, {"a", time.Date(1969, 12, 31, 23, 30, 0, 0, time.UTC)},
		{"a", time.Date(1970, 1, 1, 0, 30, 0, 0, time.UTC)}, {"a", time.Date(1969, 12, 31, 22, 0, 0, 0, time.UTC)},
		{"a", base.In(time.FixedZone("x", 5400))},
	}
	for _, c := range cases {
		if got, want := m.get(c.det, c.t), hourKey(c.det, c.t); got != want {
			t.Errorf("memo(%s, %v) = %s, want %s", c.det, c.t, got, want)
		}
	}
}
