package http

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// connTracker knows which keep-alive connections are between requests, so that Close can end
// them. fasthttp's Shutdown waits for every open connection, and a keep-alive connection waiting
// for its client's next request counts as active there, so a client that keeps an idle
// connection in its pool held a shutdown for the whole read timeout (30 s by default). A
// connection is busy from the start of a handler to its end; Close closes the others. A request
// that arrived on such a connection but whose handler had not started is dropped unanswered,
// which is what a client of a server going away must expect anyway: nothing of it ran.
type connTracker struct {
	mu    sync.Mutex
	conns map[net.Conn]*atomic.Int32 // open connection → handlers running on it
}

// state is fasthttp's ConnState hook.
func (t *connTracker) state(c net.Conn, st fasthttp.ConnState) {
	switch st {
	case fasthttp.StateNew:
		t.mu.Lock()
		if t.conns == nil {
			t.conns = map[net.Conn]*atomic.Int32{}
		}
		t.conns[c] = new(atomic.Int32)
		t.mu.Unlock()
	case fasthttp.StateClosed, fasthttp.StateHijacked: // hijacked ones are WebSocket sessions
		t.mu.Lock()
		delete(t.conns, c)
		t.mu.Unlock()
	}
}

// serve runs h for ctx with ctx's connection marked busy.
func (t *connTracker) serve(ctx *fasthttp.RequestCtx, h fasthttp.RequestHandler) {
	t.mu.Lock()
	n := t.conns[ctx.Conn()]
	t.mu.Unlock()
	if n == nil { // not tracked (an in-memory connection): nothing to mark
		h(ctx)
		return
	}
	n.Add(1)
	defer n.Add(-1)
	h(ctx)
}

// closeIdle closes every tracked connection with no handler running and returns how many
// connections remain open.
func (t *connTracker) closeIdle() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	for c, n := range t.conns {
		if n.Load() == 0 {
			_ = c.Close()
			delete(t.conns, c)
		}
	}
	return len(t.conns)
}

// drain closes idle connections until none is left open, srvDone is closed, or grace has
// passed, checking every few milliseconds while handlers finish.
func (t *connTracker) drain(srvDone <-chan struct{}, grace time.Duration) {
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if t.closeIdle() == 0 {
			return
		}
		select {
		case <-srvDone:
			return
		case <-deadline.C:
			return
		case <-tick.C:
		}
	}
}
