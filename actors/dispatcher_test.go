package actors

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPoolDispatcherReusesWorkers(t *testing.T) {
	d := newPoolDispatcher(300, 4)
	if d.Throughput() != 300 {
		t.Fatalf("Throughput = %d", d.Throughput())
	}
	var ran atomic.Int64
	var wg sync.WaitGroup
	for range 100 { // one at a time: a single worker serves them all
		wg.Add(1)
		d.Schedule(func() { ran.Add(1); wg.Done() })
		wg.Wait()
		waitFor(t, func() bool { return d.idleWorkers() == 1 })
	}
	if ran.Load() != 100 {
		t.Fatalf("ran %d of 100", ran.Load())
	}
	d.close()
	if d.idleWorkers() != 0 {
		t.Fatalf("%d idle workers after close", d.idleWorkers())
	}
	wg.Add(1)
	d.Schedule(func() { wg.Done() }) // still runs after close
	wg.Wait()
}

// TestPoolDispatcherNeverWaitsForAWorker blocks more runs than maxIdle on each other: every run
// must start (each gets a goroutine), or this deadlocks.
func TestPoolDispatcherNeverWaitsForAWorker(t *testing.T) {
	d := newPoolDispatcher(10, 2)
	defer d.close()
	const n = 50
	release := make(chan struct{})
	var started sync.WaitGroup
	started.Add(n)
	var done sync.WaitGroup
	done.Add(n)
	for range n {
		d.Schedule(func() { started.Done(); <-release; done.Done() })
	}
	started.Wait()
	close(release)
	done.Wait()
	waitFor(t, func() bool { return d.idleWorkers() == 2 }) // the rest exited
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 5 s")
		}
	}
}
