package messages

import (
	"testing"
	"time"
)

// TestDetectAsk: a reply given before or during Wait is returned; no reply times out; a reply
// after the asker stopped waiting does not block the replier.
func TestDetectAsk(t *testing.T) {
	a := NewDetectAsk(&DetectRows{DetectorId: "det_1"})
	a.Reply(&DetectRowsReply{TotalSamples: 1})
	if r, ok := a.Wait(time.Second); !ok || r.TotalSamples != 1 {
		t.Errorf("reply before Wait: %v %v", r, ok)
	}
	a = NewDetectAsk(&DetectRows{})
	go func() { time.Sleep(5 * time.Millisecond); a.Reply(&DetectRowsReply{TotalSamples: 2}) }()
	if r, ok := a.Wait(5 * time.Second); !ok || r.TotalSamples != 2 {
		t.Errorf("reply during Wait: %v %v", r, ok)
	}
	a = NewDetectAsk(&DetectRows{})
	start := time.Now()
	if r, ok := a.Wait(20 * time.Millisecond); ok || r != nil {
		t.Errorf("no reply: Wait = %v %v, want a timeout", r, ok)
	}
	if el := time.Since(start); el < 20*time.Millisecond {
		t.Errorf("Wait returned after %v, before its 20ms timeout", el)
	}
	done := make(chan struct{})
	go func() { a.Reply(&DetectRowsReply{}); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Reply after a timed-out Wait blocked")
	}
}

// TestDetectAskWaitCReusedTimer: one timer serves waits one after another (as the HTTP server's
// pool uses it): a wait that timed out leaves nothing behind for the next, which gets its reply.
func TestDetectAskWaitCReusedTimer(t *testing.T) {
	tm := time.NewTimer(10 * time.Millisecond)
	if _, ok := NewDetectAsk(&DetectRows{}).WaitC(tm.C); ok {
		t.Fatal("a wait with no reply returned one")
	}
	tm.Stop()
	tm.Reset(time.Hour)
	a := NewDetectAsk(&DetectRows{})
	go func() { time.Sleep(5 * time.Millisecond); a.Reply(&DetectRowsReply{TotalSamples: 3}) }()
	if r, ok := a.WaitC(tm.C); !ok || r.TotalSamples != 3 {
		t.Errorf("second wait on the reused timer = %v %v, want the reply", r, ok)
	}
	tm.Stop()
	tm.Reset(time.Nanosecond) // fires at once, then is stopped before the next use
	time.Sleep(time.Millisecond)
	tm.Stop()
	tm.Reset(time.Hour)
	b := NewDetectAsk(&DetectRows{})
	go func() { time.Sleep(5 * time.Millisecond); b.Reply(&DetectRowsReply{TotalSamples: 4}) }() // a stale tick would win
	if r, ok := b.WaitC(tm.C); !ok || r.TotalSamples != 4 {
		t.Errorf("wait after a fired-and-stopped timer = %v %v, want the reply", r, ok)
	}
}
