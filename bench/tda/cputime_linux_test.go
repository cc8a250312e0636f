//go:build linux

package benchtda

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// threadCPU returns the CPU time of the calling OS thread, from the scheduler's
// nanosecond counter in /proc/thread-self/schedstat, or 0 if it is not available.
// Callers lock the goroutine to its thread.
func threadCPU() time.Duration {
	b, err := os.ReadFile("/proc/thread-self/schedstat")
	if err != nil {
		return 0
	}
	f, _, _ := bytes.Cut(b, []byte(" "))
	ns, err := strconv.ParseInt(string(f), 10, 64)
	if err != nil {
		return 0
	}
	return time.Duration(ns)
}
