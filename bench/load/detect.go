package load

import (
	"fmt"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// DetectReport is the outcome of the REST detection scenario.
type DetectReport struct {
	Conns      int
	Duration   time.Duration
	Requests   int
	Errors     int
	RPS        float64
	Latency    Latencies
	RowsPerReq int
}

// detectBody is the single-row detect request: one row in shuttle's columns.
const detectBody = `{"data":[{"f1":50,"f2":0,"f3":80,"f4":0,"f5":36,"f6":0,"f7":30,"f8":44,"f9":14}]}`

// DetectLoad sends single-row detect requests over keep-alive connections for d, from conns
// workers with one request in flight each, to detector det at addr (host:port).
func DetectLoad(addr, token, det string, conns int, d time.Duration) (DetectReport, error) {
	hc := &fasthttp.HostClient{Addr: addr, MaxConns: conns, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	body := []byte(detectBody)
	uri := "http://" + addr + "/api/v1/detectors/" + det + "/detect"
	auth := "Bearer " + token
	return closedLoop(conns, d, func(deadline time.Time) ([]time.Duration, int) {
		req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
		defer fasthttp.ReleaseRequest(req)
		defer fasthttp.ReleaseResponse(resp)
		req.SetRequestURI(uri)
		req.Header.SetMethod("POST")
		req.Header.SetContentType("application/json")
		req.Header.Set("Authorization", auth)
		req.SetBody(body)
		lat := make([]time.Duration, 0, 1<<16)
		e := 0
		for time.Now().Before(deadline) {
			t := time.Now()
			err := hc.Do(req, resp)
			if err != nil || resp.StatusCode() != 200 {
				e++
				continue
			}
			lat = append(lat, time.Since(t))
		}
		return lat, e
	})
}

// closedLoop runs worker on conns goroutines until d has passed (each worker sends its next
// request only after the previous answer, and stops sending at the deadline) and reports their
// latencies and errors together, with the throughput over the whole run.
func closedLoop(conns int, d time.Duration, worker func(deadline time.Time) ([]time.Duration, int)) (DetectReport, error) {
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat, e := worker(deadline)
			mu.Lock()
			all = append(all, lat...)
			errs += e
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	r := DetectReport{Conns: conns, Duration: el, Requests: len(all), Errors: errs, RowsPerReq: 1}
	r.RPS = float64(len(all)) / el.Seconds()
	r.Latency = summarise(all)
	if len(all) == 0 {
		return r, fmt.Errorf("no successful request (%d errors)", errs)
	}
	return r, nil
}

// BatchReport is the outcome of the batch scenario.
type BatchReport struct {
	Rows      int
	Elapsed   time.Duration
	Anomalies int
}

// BatchDetect times POST /detect/batch until completion plus fetching the results.
func BatchDetect(a *API, det, dataset string) (BatchReport, error) {
	start := time.Now()
	var b struct {
		BatchID           string `json:"batch_id"`
		Status            string `json:"status"`
		ProcessedSamples  int    `json:"processed_samples"`
		AnomaliesDetected int    `json:"anomalies_detected"`
		ResultsURL        string `json:"results_url"`
	}
	if _, err := a.Call("POST", "/api/v1/detectors/"+det+"/detect/batch", map[string]any{"dataset_id": dataset, "output_format": "json"}, &b); err != nil {
		return BatchReport{}, err
	}
	for b.Status == "running" {
		time.Sleep(5 * time.Millisecond)
		if _, err := a.Call("GET", b.ResultsURL, nil, &b); err != nil {
			return BatchReport{}, err
		}
	}
	var res struct {
		Results []struct {
			IsAnomaly bool `json:"is_anomaly"`
		} `json:"results"`
	}
	if _, err := a.Call("GET", b.ResultsURL, nil, &res); err != nil {
		return BatchReport{}, err
	}
	if len(res.Results) != b.ProcessedSamples {
		return BatchReport{}, fmt.Errorf("batch returned %d results for %d rows", len(res.Results), b.ProcessedSamples)
	}
	return BatchReport{Rows: len(res.Results), Elapsed: time.Since(start), Anomalies: b.AnomaliesDetected}, nil
}
