package actors_test

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/topoforge/topoforge/messages"
)

// TestDetectAskDeadLetterIsRedelivered sends a DetectAsk to an actor that does not exist (as a
// detector's actor that stopped after the manager looked it up): the engine hands the dead letter
// to the detectors manager, whose answer (the detector is unknown: 404) arrives at once instead of
// the ask waiting for its timeout; an ask that keeps dying gets a 503.
func TestDetectAskDeadLetterIsRedelivered(t *testing.T) {
	e := MustStart(t, t.TempDir(), nil)
	u := ask[*messages.UserReply](t, e, &messages.RegisterUser{Username: "dl", Email: "d@x.io", PasswordHash: []byte("h")}).User
	a := messages.NewDetectAsk(&messages.DetectRows{DetectorId: "det_gone", UserId: u.ID, Role: string(u.Role), RowsJson: []byte(`[{"a":1}]`)})
	e.Root.Send(actor.NewPID(e.Detectors.Address, e.Detectors.Id+"/det_gone"), a)
	r, ok := a.Wait(5 * time.Second)
	if !ok {
		t.Fatal("a dead-lettered DetectAsk got no answer")
	}
	if r.Error == nil || messages.Code(r.Error.Code) != messages.CodeNotFound {
		t.Errorf("answer = %+v, want the manager's not-found error", r)
	}
	b := messages.NewDetectAsk(&messages.DetectRows{DetectorId: "det_gone"})
	for b.Resend() { // as if it had died MaxResends times already
	}
	e.Root.Send(actor.NewPID(e.Detectors.Address, "nobody"), b)
	if r, ok := b.Wait(5 * time.Second); !ok || r.Error == nil || messages.Code(r.Error.Code) != messages.CodeUnavailable {
		t.Errorf("ask past its resends: %v %+v, want a 503 answer", ok, r)
	}
}
