package load

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// WrkDetectLoad runs the single-row detect scenario with wrk (a C load generator; Debian package
// wrk) instead of the Go client: one wrk thread, conns keep-alive connections, for d. It needs
// the wrk binary on PATH. wrk spends less CPU per request than a Go client, which matters when
// client and server share the machine's cores.
func WrkDetectLoad(addr, token, det string, conns int, d time.Duration) (DetectReport, error) {
	bin, err := exec.LookPath("wrk")
	if err != nil {
		return DetectReport{}, fmt.Errorf("wrk not found (apt-get install wrk): %w", err)
	}
	dir, err := os.MkdirTemp("", "topoforge-wrk-")
	if err != nil {
		return DetectReport{}, err
	}
	defer os.RemoveAll(dir)
	script := fmt.Sprintf(`wrk.method = "POST"
wrk.body = '%s'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
done = function(summary, latency, requests)
  io.write(string.format("TF requests=%%d errors=%%d non2xx=%%d p50=%%d p90=%%d p99=%%d max=%%d mean=%%d\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    math.floor(latency.mean + 0.5)))
end
`, detectBody, token)
	path := filepath.Join(dir, "detect.lua")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		return DetectReport{}, err
	}
	secs := max(1, int(d.Round(time.Second)/time.Second))
	var out bytes.Buffer
	cmd := exec.Command(bin, "-t1", "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(secs)+"s", "--timeout", "10s", "-s", path,
		"http://"+addr+"/api/v1/detectors/"+det+"/detect")
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return DetectReport{}, fmt.Errorf("wrk: %w: %s", err, out.String())
	}
	el := time.Since(start)
	return parseWrk(out.String(), conns, el)
}

var wrkLine = regexp.MustCompile(`TF requests=(\d+) errors=(\d+) non2xx=(\d+) p50=(\d+) p90=(\d+) p99=(\d+) max=(\d+)(?: mean=(\d+))?`)

// parseWrk reads the summary line of the script's done callback (latencies in µs).
func parseWrk(out string, conns int, el time.Duration) (DetectReport, error) {
	m := wrkLine.FindStringSubmatch(out)
	if m == nil {
		return DetectReport{}, fmt.Errorf("wrk: no summary in output: %s", strings.TrimSpace(out))
	}
	n := make([]int64, len(m))
	for i := 1; i < len(m); i++ {
		n[i], _ = strconv.ParseInt(m[i], 10, 64) // an absent mean stays 0
	}
	secs := el.Seconds()
	if dur := regexp.MustCompile(`requests in ([0-9.]+)s`).FindStringSubmatch(out); dur != nil {
		if s, err := strconv.ParseFloat(dur[1], 64); err == nil && s > 0 {
			secs = s
		}
	}
	ok := int(n[1] - n[3])
	r := DetectReport{Conns: conns, Duration: el, Requests: ok, Errors: int(n[2] + n[3]), RowsPerReq: 1}
	r.RPS = float64(ok) / secs
	us := func(v int64) time.Duration { return time.Duration(v) * time.Microsecond }
	r.Latency = Latencies{N: ok, Mean: us(n[8]), P50: us(n[4]), P90: us(n[5]), P99: us(n[6]), Max: us(n[7])}
	if ok == 0 {
		return r, fmt.Errorf("wrk: no successful request: %s", strings.TrimSpace(out))
	}
	return r, nil
}
