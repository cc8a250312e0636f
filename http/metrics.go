package http

import (
	"strconv"
	"sync"
	"sync/atomic"
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

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// routeMetrics are one route's series, looked up once (a label lookup hashes the values and
// takes the vector's lock on every request otherwise). The 200 counter is the common case; other
// statuses go through observe's lookup. Series appear on first use, as with observe.
type routeMetrics struct {
	latency atomic.Pointer[prometheus.Histogram]
	ok      atomic.Pointer[prometheus.Counter]
}

// observeRoute is observe for route, through rm's cached series.
func (m *metrics) observeRoute(rm *routeMetrics, route string, status int, d time.Duration) {
	h := rm.latency.Load()
	if h == nil {
		v := m.latency.WithLabelValues(route).(prometheus.Histogram)
		h = &v
		rm.latency.Store(h)
	}
	(*h).Observe(d.Seconds())
	if status != 200 {
		m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
		return
	}
	c := rm.ok.Load()
	if c == nil {
		v := m.requests.WithLabelValues(route, "200")
		c = &v
		rm.ok.Store(c)
	}
	(*c).Inc()
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
