package messages

import "time"

// DetectAsk is DetectRows asked from inside this process: the detectors manager checks access
// and hands it to the detector's actor, whose reply goes into a channel instead of a protoactor
// request future. That spares the hot single-row path a future's process-registry entry, its
// timer and the registry lookup of the reply (~3 µs of CPU per detection, ~18 %, in the actors
// package's benchmarks). Requests that cross nodes keep using DetectRows. Build it with
// NewDetectAsk; whoever handles it calls Reply exactly once.
type DetectAsk struct {
	// Req is the request, as DetectRows would carry it.
	Req   *DetectRows
	reply chan *DetectRowsReply
	sends int // times it was sent again after reaching no actor (Resend)
}

// MaxResends bounds Resend.
const MaxResends = 3

// Resend reports whether an ask that reached no actor (a dead letter: its detector's actor
// stopped between the manager's lookup and the delivery) may be sent again, and counts it.
func (a *DetectAsk) Resend() bool {
	if a.sends >= MaxResends {
		return false
	}
	a.sends++
	return true
}

// NewDetectAsk returns an ask for req with room for its one reply, so the actor that answers
// never blocks, even when the asker has stopped waiting.
func NewDetectAsk(req *DetectRows) *DetectAsk {
	return &DetectAsk{Req: req, reply: make(chan *DetectRowsReply, 1)}
}

// Reply delivers the answer. It never blocks when called once.
func (a *DetectAsk) Reply(r *DetectRowsReply) { a.reply <- r }

// Wait returns the reply, or false when none came within timeout.
func (a *DetectAsk) Wait(timeout time.Duration) (*DetectRowsReply, bool) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	return a.WaitC(t.C)
}

// WaitC returns the reply, or false once deadline delivers (a timer's channel the caller owns,
// e.g. from a pool, so the wait costs no timer of its own).
func (a *DetectAsk) WaitC(deadline <-chan time.Time) (*DetectRowsReply, bool) {
	select {
	case r := <-a.reply:
		return r, true
	case <-deadline:
		return nil, false
	}
}
