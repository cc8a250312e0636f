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
