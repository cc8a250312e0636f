package actors

import (
	"fmt"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/topoforge/topoforge/messages"
)

// collector is a StreamSink that keeps every frame, for replays.
type collector struct {
	mu     sync.Mutex
	frames [][]byte
}

// Send implements messages.StreamSink; it never refuses a frame.
func (c *collector) Send(b []byte) bool {
	c.mu.Lock()
	c.frames = append(c.frames, b)
	c.mu.Unlock()
	return true
}

// ReplayStream sends frames, in order, to the principal's stream name through the same stream
// actor /ws/stream uses, and returns the frames the stream answered with, in order (one per
// event: buffering, analysis or error; config frames answer config_ack or error). The stream is
// ephemeral: it is forgotten afterwards.
func (e *Engine) ReplayStream(p messages.Principal, name string, frames [][]byte, timeout time.Duration) ([][]byte, error) {
	sink := &collector{}
	res, err := e.Root.RequestFuture(e.Streams, &messages.JoinStream{Principal: p, Name: name, Ephemeral: true, Sink: sink}, timeout).Result()
	if err != nil {
		return nil, fmt.Errorf("join stream %s: %w", name, err)
	}
	joined := res.(*messages.StreamJoined)
	if joined.Err != nil {
		return nil, fmt.Errorf("join stream %s: %w", name, joined.Err)
	}
	pid := joined.Actor.(*actor.PID)
	now := time.Now()
	for _, f := range frames {
		e.Root.Send(pid, &messages.StreamFrame{Sink: sink, Data: f, Received: now})
	}
	if _, err := e.Root.RequestFuture(pid, &messages.FlushStream{}, timeout).Result(); err != nil {
		return nil, fmt.Errorf("flush stream %s: %w", name, err)
	}
	e.Root.Send(pid, &messages.LeaveStream{Sink: sink})
	sink.mu.Lock()
	defer sink.mu.Unlock()
	return sink.frames, nil
}
