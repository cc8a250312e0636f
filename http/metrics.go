package http

import (
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics records requests by route template and status, and their latency.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "topoforge_http_requests_total",
			Help: "HTTP requests by route template, method and status code.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "topoforge_http_request_duration_seconds",
			Help:    "HTTP request latency by route template.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// routeMetrics are one route's series, each looked up once, on first use (a label lookup hashes
// the values and takes the vector's lock). The 200 counter is the common case; other statuses are
// looked up per request.
type routeMetrics struct {
	route   string
	m       *metrics
	latency func() prometheus.Observer
	ok      func() prometheus.Counter
}

// forRoute returns the series of route.
func (m *metrics) forRoute(route string) *routeMetrics {
	return &routeMetrics{
		route: route, m: m,
		latency: sync.OnceValue(func() prometheus.Observer { return m.latency.WithLabelValues(route) }),
		ok:      sync.OnceValue(func() prometheus.Counter { return m.requests.WithLabelValues(route, "200") }),
	}
}

// observe records one request of the route.
func (rm *routeMetrics) observe(status int, d time.Duration) {
	rm.latency().Observe(d.Seconds())
	if status == 200 {
		rm.ok().Inc()
		return
	}
	rm.m.requests.WithLabelValues(rm.route, strconv.Itoa(status)).Inc()
}

// cpuSampler measures the process's CPU use between calls, as a percentage of one core.
type cpuSampler struct {
	mu       sync.Mutex
	lastWall time.Time
	lastCPU  time.Duration
	last     float64
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// minSample is the shortest interval a new CPU figure is computed over; calls closer together
// return the previous figure.
const minSample = 250 * time.Millisecond

// percent returns CPU use since the previous sample (or since start, given as started).
func (c *cpuSampler) percent(started time.Time) float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	now, cpu := time.Now(), processCPU()
	if c.lastWall.IsZero() {
		c.lastWall, c.lastCPU = started, 0
	}
	wall := now.Sub(c.lastWall)
	if wall < minSample {
		return c.last
	}
	c.last = 100 * float64(cpu-c.lastCPU) / float64(wall)
	c.lastWall, c.lastCPU = now, cpu
	return c.last
}
