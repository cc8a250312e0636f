package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles topoforge into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "topoforge")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// startProcess runs the server as a subprocess and waits until /health answers.
func startProcess(t *testing.T, bin, addr, data string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-addr", addr, "-data", data, "-bcrypt-cost", "4",
		"-badger-memtable-mb", "8", "-badger-vlog-mb", "16", "-badger-block-cache-mb", "8",
		"-rate-limit-user", "-1", "-rate-limit-anonymous", "-1", "-log-level", "warn")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("server on %s did not become healthy: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestKill9Durability kills the server with SIGKILL in the middle of detection traffic and
// checks that every acknowledged write is back after a restart, with identical scores.
func TestKill9Durability(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	data := filepath.Join(dir, "data")
	addr := freeAddr(t)
	cmd := startProcess(t, bin, addr, data)
	defer func() { _ = cmd.Process.Kill() }()

	c := &client{tb: t, base: "http://" + addr, hc: &http.Client{Timeout: 10 * time.Second}}
	c.register("owner")
	tok, _ := c.login("owner")
	auth := bearer(tok)
	p := &platform{c: c}
	ds := p.dataset(auth, "tx", txRows(500, 15, 9), "label")
	det := p.detector(auth, "IsolationForest", map[string]any{"random_state": 11, "contamination": 0.03})
	p.train(auth, det, ds)
	hb := p.detector(auth, "HBOS", nil)
	p.train(auth, hb, ds)
	en := c.expect(201, "POST", "/api/v1/ensembles", map[string]any{"name": "e", "detector_ids": []string{det, hb}, "voting_strategy": "max"}, auth...)
	probe := map[string]any{"amount": 4321.0, "merchant": "jewelry", "hour": 1.0}
	before := p.detect(auth, det, probe)["results"].([]any)[0].(map[string]any)["anomaly_score"]

	// Traffic from 4 clients; count acknowledged detections; SIGKILL mid-stream.
	var acked atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := &http.Client{Timeout: 5 * time.Second}
			body := fmt.Sprintf(`{"data":[{"amount":%d,"merchant":"fuel","hour":9}]}`, 90+g)
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+addr+"/api/v1/detectors/"+det+"/detect", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", auth[1])
				resp, err := hc.Do(req)
				if err != nil {
					return // the server died
				}
				resp.Body.Close()
				if resp.StatusCode == 200 {
					acked.Add(1)
				}
			}
		}()
	}
	waitUntil := time.Now().Add(60 * time.Second)
	for acked.Load() < 200 {
		if time.Now().After(waitUntil) {
			cancel()
			t.Fatalf("only %d detections acknowledged in 60 s", acked.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, _ = cmd.Process.Wait()
	cancel()
	wg.Wait()
	n := acked.Load()

	cmd2 := startProcess(t, bin, addr, data)
	defer func() { _ = cmd2.Process.Kill() }()
	tok2, _ := c.login("owner")
	auth2 := bearer(tok2)
	res := c.expect(200, "GET", "/api/v1/detectors/"+det+"/results?limit=1", nil, auth2...)
	// +1: the probe detection before the traffic.
	if got := int64(res["total"].(float64)); got < n+1 {
		t.Errorf("after kill -9: %d stored results, but %d detections were acknowledged", got, n+1)
	}
	after := p.detect(auth2, det, probe)["results"].([]any)[0].(map[string]any)["anomaly_score"]
	if after != before {
		t.Errorf("probe score after kill -9 = %v, before %v", after, before)
	}
	c.expect(200, "GET", "/api/v1/datasets/"+ds, nil, auth2...)
	c.expect(200, "GET", "/api/v1/ensembles/"+en["id"].(string), nil, auth2...)
	if d := c.expect(200, "GET", "/api/v1/detectors/"+hb, nil, auth2...); d["is_trained"] != true {
		t.Errorf("HBOS detector after kill -9 = %v", d)
	}
	t.Logf("%d acknowledged detections before SIGKILL, all durable", n)

	// SIGTERM stops the server gracefully: exit code 0, quickly.
	if err := cmd2.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd2.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("after SIGTERM the server exited with %v, want 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("the server did not stop within 15 s of SIGTERM")
	}
}
