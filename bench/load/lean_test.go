package load

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestLeanDetectLoad drives a real loopback HTTP server with the lean client: every request
// must arrive as a well-formed POST with the token and body, and every 200 is counted.
func TestLeanDetectLoad(t *testing.T) {
	var bad atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, len(detectBody)+1)
		n, _ := r.Body.Read(b)
		if r.Method != "POST" || r.URL.Path != "/api/v1/detectors/det_1/detect" ||
			r.Header.Get("Authorization") != "Bearer tok" || string(b[:n]) != detectBody {
			bad.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"results":[]}`))
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	r, err := LeanDetectLoad(addr, "tok", "det_1", 4, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests < 50 || r.Errors != 0 || bad.Load() != 0 {
		t.Errorf("requests %d, errors %d, malformed %d", r.Requests, r.Errors, bad.Load())
	}
	if r.Latency.P50 <= 0 || r.Latency.P99 < r.Latency.P50 {
		t.Errorf("latencies %+v", r.Latency)
	}
}

// TestLeanDetectLoadCountsErrors checks that a non-200 answer is an error, not a request.
func TestLeanDetectLoadCountsErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusTooManyRequests)
	}))
	defer srv.Close()
	r, err := LeanDetectLoad(strings.TrimPrefix(srv.URL, "http://"), "tok", "d", 2, 100*time.Millisecond)
	if err == nil || r.Requests != 0 || r.Errors == 0 {
		t.Errorf("requests %d, errors %d, err %v; want 0 requests, errors, an error", r.Requests, r.Errors, err)
	}
}

// TestReadOK checks the response reader on a body, a missing length and a bad status.
func TestReadOK(t *testing.T) {
	for in, ok := range map[string]bool{
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}":     true,
		"HTTP/1.1 200 OK\r\ncontent-length:0\r\n\r\n":        true,
		"HTTP/1.1 200 OK\r\n\r\n":                            false,
		"HTTP/1.1 500 Internal\r\nContent-Length: 0\r\n\r\n": false,
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab":     false,
		"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n":       false,
	} {
		err := readOK(bufio.NewReader(strings.NewReader(in)))
		if (err == nil) != ok {
			t.Errorf("%q: err %v, want ok=%v", in, err, ok)
		}
	}
}
