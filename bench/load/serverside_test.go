package load

import (
	"math"
	"strings"
	"testing"
)

// TestParseServerLatency reads a histogram in Prometheus' text format (as the server's /metrics
// writes it) and checks the shares over each bound and the p99's bucket.
func TestParseServerLatency(t *testing.T) {
	const text = `# HELP topoforge_http_request_duration_seconds HTTP request latency by route template.
# TYPE topoforge_http_request_duration_seconds histogram
topoforge_http_request_duration_seconds_bucket{route="/health",le="0.001"} 5
topoforge_http_request_duration_seconds_bucket{route="/health",le="+Inf"} 5
topoforge_http_request_duration_seconds_sum{route="/health"} 0.001
topoforge_http_request_duration_seconds_count{route="/health"} 5
topoforge_http_request_duration_seconds_bucket{route="/api/v1/detectors/{detector_id}/detect",le="0.001"} 900
topoforge_http_request_duration_seconds_bucket{route="/api/v1/detectors/{detector_id}/detect",le="0.0025"} 980
topoforge_http_request_duration_seconds_bucket{route="/api/v1/detectors/{detector_id}/detect",le="0.005"} 995
topoforge_http_request_duration_seconds_bucket{route="/api/v1/detectors/{detector_id}/detect",le="0.01"} 999
topoforge_http_request_duration_seconds_bucket{route="/api/v1/detectors/{detector_id}/detect",le="+Inf"} 1000
topoforge_http_request_duration_seconds_sum{route="/api/v1/detectors/{detector_id}/detect"} 0.9
topoforge_http_request_duration_seconds_count{route="/api/v1/detectors/{detector_id}/detect"} 1000
`
	s, err := parseServerLatency(strings.NewReader(text), detectRoute)
	if err != nil {
		t.Fatal(err)
	}
	if s.Count != 1000 || s.P99Bound != 0.005 {
		t.Errorf("count %d, p99 bound %v, want 1000, 0.005", s.Count, s.P99Bound)
	}
	for bound, want := range map[float64]float64{.001: .1, .0025: .02, .005: .005, .01: .001} {
		if got := s.Over[bound]; math.Abs(got-want) > 1e-12 {
			t.Errorf("over %v: %v, want %v", bound, got, want)
		}
	}
	if _, err := parseServerLatency(strings.NewReader(text), "/nope"); err == nil {
		t.Error("a missing route gave no error")
	}
}
