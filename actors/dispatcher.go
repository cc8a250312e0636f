package actors

import "sync"

// poolDispatcher is a protoactor Dispatcher that runs mailboxes on long-lived goroutines.
// protoactor's default starts a fresh goroutine every time a mailbox gets work; that goroutine's
// small initial stack then grows (copying the stack) each time a detector scores or a stream
// analyses a window: ~8% of the CPU of a busy stream server. Here a goroutine that finishes a
// mailbox run parks as an idle worker, keeping its grown stack, and the next Schedule hands it
// the next run. When no worker is idle Schedule starts a new goroutine, exactly as the default
// does, so a mailbox never waits for a worker (no deadlock when actors block on each other).
// At most maxIdle workers are kept.
type poolDispatcher struct {
	throughput int
	maxIdle    int

	mu     sync.Mutex
	idle   []chan func() // LIFO: the most recently used worker has the warmest stack and cache
	closed bool
}

func newPoolDispatcher(throughput, maxIdle int) *poolDispatcher {
	return &poolDispatcher{throughput: throughput, maxIdle: maxIdle}
}

// Throughput implements actor.Dispatcher: messages a mailbox processes before yielding.
func (d *poolDispatcher) Throughput() int { return d.throughput }

// Schedule implements actor.Dispatcher: fn runs on an idle worker or a new goroutine.
func (d *poolDispatcher) Schedule(fn func()) {
	d.mu.Lock()
	if n := len(d.idle); n > 0 {
		w := d.idle[n-1]
		d.idle = d.idle[:n-1]
		d.mu.Unlock()
		w <- fn // buffered and the worker is waiting for it: never blocks
		return
	}
	d.mu.Unlock()
	go d.work(make(chan func(), 1), fn)
}

func (d *poolDispatcher) work(w chan func(), fn func()) {
	for {
		fn()
		d.mu.Lock()
		if d.closed || len(d.idle) >= d.maxIdle {
			d.mu.Unlock()
			return
		}
		d.idle = append(d.idle, w)
		d.mu.Unlock()
		var ok bool
		if fn, ok = <-w; !ok {
			return
		}
	}
}

// close ends the idle workers; later Schedules still run, each on its own goroutine.
func (d *poolDispatcher) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	for _, w := range d.idle {
		close(w)
	}
	d.idle = nil
}

// idleWorkers returns how many workers are parked.
func (d *poolDispatcher) idleWorkers() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.idle)
}
