package load

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// detectRoute is the route label of single-row detect in the server's request histogram.
const detectRoute = "/api/v1/detectors/{detector_id}/detect"

// ServerLatency is the server's own view of a route's latency, from its Prometheus histogram
// topoforge_http_request_duration_seconds: the time from the request's routing to its reply
// being written into the connection's buffer. It leaves out the kernel, the network and the
// client, so next to the client's figures it tells how much of a tail is the server's.
type ServerLatency struct {
	Count uint64
	// Over maps a bound in seconds to the share of requests that took longer.
	Over map[float64]float64
	// P99Bound is the smallest histogram bound at or under which 99 % of requests finished.
	P99Bound float64
}

// String reports the share of requests over 1, 2.5, 5 and 10 ms and the p99's bucket.
func (s ServerLatency) String() string {
	return fmt.Sprintf("n=%d, p99 ≤ %g ms; over 1 ms %.2f %%, 2.5 ms %.2f %%, 5 ms %.3f %%, 10 ms %.3f %%",
		s.Count, s.P99Bound*1e3, 100*s.Over[.001], 100*s.Over[.0025], 100*s.Over[.005], 100*s.Over[.01])
}

// FetchServerLatency reads base's /metrics and returns route's latency histogram.
func FetchServerLatency(base, route string) (ServerLatency, error) {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return ServerLatency{}, fmt.Errorf("metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return ServerLatency{}, fmt.Errorf("metrics: status %d", resp.StatusCode)
	}
	return parseServerLatency(resp.Body, route)
}

// parseServerLatency finds route's series of topoforge_http_request_duration_seconds in a
// Prometheus text exposition.
func parseServerLatency(r io.Reader, route string) (ServerLatency, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return ServerLatency{}, fmt.Errorf("metrics: %w", err)
	}
	fam, ok := fams["topoforge_http_request_duration_seconds"]
	if !ok {
		return ServerLatency{}, fmt.Errorf("metrics: no request latency histogram")
	}
	for _, m := range fam.GetMetric() {
		if label(m, "route") != route || m.GetHistogram() == nil {
			continue
		}
		h := m.GetHistogram()
		s := ServerLatency{Count: h.GetSampleCount(), Over: map[float64]float64{}, P99Bound: math.Inf(1)}
		if s.Count == 0 {
			return s, nil
		}
		for _, b := range h.GetBucket() {
			done := float64(b.GetCumulativeCount()) / float64(s.Count)
			s.Over[b.GetUpperBound()] = 1 - done
			if done >= 0.99 && b.GetUpperBound() < s.P99Bound {
				s.P99Bound = b.GetUpperBound()
			}
		}
		return s, nil
	}
	return ServerLatency{}, fmt.Errorf("metrics: no latency series for route %s", strings.TrimSpace(route))
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}
