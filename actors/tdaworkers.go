package actors

import (
	"bytes"
	"errors"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/topoforge/topoforge/messages"
	"github.com/topoforge/topoforge/tdajson"
)

// tdaPool (root/tda) spreads ComputeTDA requests round-robin over one worker actor per CPU, so a
// long persistence computation occupies one worker, never the HTTP goroutines or other actors.
type tdaPool struct {
	workers []*actor.PID
	next    int
	limits  tdajson.Config
	n       int
}

func newTDAPool(n int, limits tdajson.Config) actor.Actor {
	return &tdaPool{n: max(1, n), limits: limits}
}

// Receive implements actor.Actor.
func (p *tdaPool) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *actor.Started:
		for range p.n {
			limits := p.limits
			p.workers = append(p.workers, ctx.Spawn(actor.PropsFromProducer(func() actor.Actor { return &tdaWorker{limits: limits} })))
		}
	case *statsProbe, *messages.Stats:
		ctx.Respond(&messages.StatsReply{Counters: map[string]int64{"tda_workers": int64(len(p.workers))}})
	case *messages.ComputeTDA:
		ctx.Forward(p.workers[p.next%len(p.workers)])
		p.next++
	}
}

// tdaWorker computes one document at a time.
type tdaWorker struct{ limits tdajson.Config }

// Receive implements actor.Actor.
func (w *tdaWorker) Receive(ctx actor.Context) {
	m, ok := ctx.Message().(*messages.ComputeTDA)
	if !ok {
		return
	}
	var out bytes.Buffer
	err := w.limits.Run(bytes.NewReader(m.Input), &out)
	var ie *tdajson.InputError
	switch {
	case errors.As(err, &ie):
		field := ie.Field
		if field == "" {
			field = "body"
		}
		ctx.Respond(&messages.TDAResult{Err: messages.FieldError(field, ie.Err.Error())})
	case err != nil:
		ctx.Respond(&messages.TDAResult{Err: messages.Errorf(messages.CodeInternal, "compute: %v", err)})
	default:
		ctx.Respond(&messages.TDAResult{Body: out.Bytes()})
	}
}
