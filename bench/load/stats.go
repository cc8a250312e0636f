package load

import (
	"fmt"
	"slices"
	"time"
)

// Latencies summarises a set of durations.
type Latencies struct {
	N                        int
	Mean, P50, P90, P99, Max time.Duration
}

// summarise sorts d in place and returns its percentiles.
func summarise(d []time.Duration) Latencies {
	if len(d) == 0 {
		return Latencies{}
	}
	slices.Sort(d)
	at := func(q float64) time.Duration { return d[min(len(d)-1, int(q*float64(len(d))))] }
	var sum float64
	for _, v := range d {
		sum += float64(v)
	}
	return Latencies{N: len(d), Mean: time.Duration(sum / float64(len(d))), P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: d[len(d)-1]}
}

// String formats the percentiles in milliseconds.
func (l Latencies) String() string {
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	return fmt.Sprintf("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, mean %.2f ms (n=%d)", ms(l.P50), ms(l.P90), ms(l.P99), ms(l.Max), ms(l.Mean), l.N)
}

// closedLoopCheck compares the mean latency of a closed-loop run (each of conns connections
// sends its next request when the previous answer arrives) with the mean that Little's law
// gives, conns / throughput. Recorded latencies can only be shorter than that (the client's own
// time between an answer and the next request is not in them), so a mean well above it means
// the recorded latencies are wrong (seen with wrk on this project's VM: runs whose p99 would
// need more connection-seconds than the run had). It returns "" when they agree.
func closedLoopCheck(l Latencies, conns int, rps float64) string {
	if rps <= 0 || l.Mean <= 0 {
		return ""
	}
	little := time.Duration(float64(conns) / rps * float64(time.Second))
	if l.Mean <= little+little/4+100*time.Microsecond {
		return ""
	}
	return fmt.Sprintf("the recorded mean latency %.2f ms exceeds the %.2f ms that %d connections at %.0f req/s allow (Little's law): this run's latency figures are not trustworthy",
		float64(l.Mean)/1e6, float64(little)/1e6, conns, rps)
}
