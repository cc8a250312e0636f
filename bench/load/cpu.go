package load

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuTime returns the user+system CPU time a process has used, from /proc/<pid>/stat (clock
// ticks of 10 ms, so compare spans of seconds).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces; the fields after its closing ')' are fixed.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, fmt.Errorf("parse /proc/%d/stat", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("parse /proc/%d/stat: %d fields", pid, len(f))
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64) // field 14, utime
	st, err2 := strconv.ParseInt(f[12], 10, 64) // field 15, stime
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("parse /proc/%d/stat times", pid)
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	return time.Duration(ut+st) * tick, nil
}

// selfCPU returns the user+system CPU time of this process and of its children that have ended
// (a wrk run; the server, still running, is not among them).
func selfCPU() time.Duration {
	var t time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err == nil {
			t += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return t
}

// CPUSpan measures the CPU both processes spend during a scenario.
type CPUSpan struct {
	pid              int
	server0, client0 time.Duration
	Server, Client   time.Duration
}

// startCPU starts measuring the server process pid and this (client) process.
func startCPU(pid int) *CPUSpan {
	s := &CPUSpan{pid: pid, client0: selfCPU()}
	s.server0, _ = cpuTime(pid)
	return s
}

// stop ends the span.
func (s *CPUSpan) stop() {
	t, _ := cpuTime(s.pid)
	s.Server, s.Client = t-s.server0, selfCPU()-s.client0
}

// PerOp formats the server's and the client's CPU per operation.
func (s *CPUSpan) PerOp(ops int) string {
	if ops <= 0 {
		return "-"
	}
	return fmt.Sprintf("server %.0f µs, client %.0f µs", float64(s.Server.Microseconds())/float64(ops),
		float64(s.Client.Microseconds())/float64(ops))
}
