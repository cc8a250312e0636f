package load

import (
	"cmp"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config selects the scenarios of Run and their sizes.
type Config struct {
	// Binary is the topoforge binary started as the server (with `serve`). Required.
	Binary string
	// Scenarios lists detect, batch, stream and idle; empty means all.
	Scenarios []string
	// Duration is how long the detect and stream scenarios run. Default 10 s.
	Duration time.Duration
	// Conns is the number of keep-alive connections of the detect scenario. Default 64 (the
	// command's flag: 24).
	Conns int
	// Client is the detect scenario's load generator: "lean" (LeanDetectLoad), "go" (fasthttp's
	// client; also when empty) or "wrk".
	Client string
	// ServerProcs, when positive, is the server's GOMAXPROCS (set in its environment): with the
	// client on the same cores, 1 leaves the other core to the client and the kernel.
	ServerProcs int
	// Sessions is the number of WebSocket sessions of the stream scenario. Default 64.
	Sessions int
	// Idle is the number of idle sessions of the idle scenario. Default 10000.
	Idle int
	// IdleSettle is how long the idle sessions stay idle before memory is measured. Default 5 s.
	IdleSettle time.Duration
	// OddsDir holds shuttle.csv for the batch scenario and the detect model. Default
	// ../shared/data/odds.
	OddsDir string
}

// Run starts the server as a separate process on a loopback port with a temp data directory,
// runs the scenarios and writes a markdown report to w.
func Run(cfg Config, w io.Writer) error {
	if cfg.Duration <= 0 {
		cfg.Duration = 10 * time.Second
	}
	if cfg.Conns <= 0 {
		cfg.Conns = 64
	}
	if cfg.Sessions <= 0 {
		cfg.Sessions = 64
	}
	if cfg.Idle <= 0 {
		cfg.Idle = 10000
	}
	if cfg.IdleSettle <= 0 {
		cfg.IdleSettle = 5 * time.Second
	}
	if cfg.OddsDir == "" {
		cfg.OddsDir = filepath.Join("..", "shared", "data", "odds")
	}
	want := func(s string) bool { return len(cfg.Scenarios) == 0 || slices.Contains(cfg.Scenarios, s) }
	shuttle := filepath.Join(cfg.OddsDir, "shuttle.csv")
	if _, err := os.Stat(shuttle); err != nil {
		return fmt.Errorf("bench needs %s (the ODDS data in ../shared/data): %w", shuttle, err)
	}
	dir, err := os.MkdirTemp("", "topoforge-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	srv := exec.Command(cfg.Binary, "serve", "-addr", addr, "-data", filepath.Join(dir, "data"),
		"-rate-limit-anonymous", "-1", "-rate-limit-user", "-1", "-rate-limit-admin", "-1", "-rate-limit-viewer", "-1",
		"-bcrypt-cost", "4", "-max-conns", "20000", "-log-level", "error")
	srv.Stderr = os.Stderr
	if cfg.ServerProcs > 0 {
		srv.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(cfg.ServerProcs))
	}
	if err := srv.Start(); err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	defer func() { _ = srv.Process.Kill(); _, _ = srv.Process.Wait() }()
	base := "http://" + addr
	if err := waitHealthy(base, 30*time.Second); err != nil {
		return err
	}
	a, err := NewAPI(base, "bench")
	if err != nil {
		return err
	}
	serverProcs := "the Go default"
	if cfg.ServerProcs > 0 {
		serverProcs = strconv.Itoa(cfg.ServerProcs)
	}
	fmt.Fprintf(w, "Machine: %d CPUs (client GOMAXPROCS %d, server GOMAXPROCS %s), %s/%s, %s; server and load client on the same machine over loopback.\n\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), serverProcs, runtime.GOOS, runtime.GOARCH, runtime.Version())
	t := time.Now()
	ds, err := a.Upload(shuttle, "label")
	if err != nil {
		return fmt.Errorf("upload shuttle: %w", err)
	}
	fmt.Fprintf(w, "- upload of shuttle.csv (49097 rows x 9, multipart CSV): %.0f ms\n", msSince(t))
	t = time.Now()
	det, err := a.TrainedDetector("IsolationForest", map[string]any{"random_state": 42}, ds)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	fmt.Fprintf(w, "- IsolationForest training on shuttle through the API: %.0f ms\n\n", msSince(t))
	if want("batch") {
		var best BatchReport
		for i := range 3 {
			r, err := BatchDetect(a, det, ds)
			if err != nil {
				return fmt.Errorf("batch: %w", err)
			}
			if i == 0 || r.Elapsed < best.Elapsed {
				best = r
			}
		}
		fmt.Fprintf(w, "| batch detect, end to end | rows | best of 3 | anomalies |\n|---|---:|---:|---:|\n| shuttle, json | %d | %.0f ms | %d |\n\n",
			best.Rows, float64(best.Elapsed)/1e6, best.Anomalies)
	}
	if want("detect") {
		cpu := startCPU(srv.Process.Pid)
		load := DetectLoad
		switch cfg.Client {
		case "", "go":
		case "wrk":
			load = WrkDetectLoad
		case "lean":
			load = LeanDetectLoad
		default:
			return fmt.Errorf("unknown detect client %q (lean, go or wrk)", cfg.Client)
		}
		r, err := load(addr, a.Token, det, cfg.Conns, cfg.Duration)
		cpu.stop()
		if err != nil {
			return fmt.Errorf("detect load: %w", err)
		}
		fmt.Fprintf(w, "| single-row detect | conns | requests | errors | req/s | latency | CPU per request |\n|---|---:|---:|---:|---:|---|---|\n| IsolationForest, shuttle, %s client | %d | %d | %d | %.0f | %s | %s |\n\n",
			cmp.Or(cfg.Client, "go"), r.Conns, r.Requests, r.Errors, r.RPS, r.Latency, cpu.PerOp(r.Requests))
		if warn := closedLoopCheck(r.Latency, r.Conns, r.RPS); warn != "" {
			fmt.Fprintf(w, "Warning: %s.\n\n", warn)
		}
		if sl, err := FetchServerLatency(base, detectRoute); err != nil {
			fmt.Fprintf(w, "Server-side latency unavailable: %v.\n\n", err)
		} else {
			fmt.Fprintf(w, "Server-side single-row detect latency (its request histogram, whole run): %s.\n\n", sl)
		}
	}
	if want("stream") {
		cpu := startCPU(srv.Process.Pid)
		r, err := StreamLoad(addr, a.Token, cfg.Sessions, cfg.Duration)
		cpu.stop()
		if err != nil {
			return fmt.Errorf("stream load: %w", err)
		}
		fmt.Fprintf(w, "| /ws/stream (W=50, d=3, H0+H1) | sessions | events | analyses | errors | events/s | event→analysis | CPU per event |\n|---|---:|---:|---:|---:|---:|---|---|\n| sine, one event in flight per session | %d | %d | %d | %d | %.0f | %s | %s |\n\n",
			r.Sessions, r.Events, r.Analyses, r.Errors, r.EPS, r.Latency, cpu.PerOp(r.Events))
	}
	if want("idle") {
		r, err := IdleSessions(addr, a.Token, srv.Process.Pid, cfg.Idle, 60, cfg.IdleSettle)
		if err != nil {
			return fmt.Errorf("idle sessions: %w", err)
		}
		fmt.Fprintf(w, "| idle stream sessions | sessions | events each | server RSS before | after | per session | connect errors |\n|---|---:|---:|---:|---:|---:|---:|\n| one stream each, window full | %d | %d | %.0f MB | %.0f MB | %.1f KB | %d |\n\n",
			r.Sessions, r.EventsEach, r.RSSBeforeMB, r.RSSAfterMB, r.BytesPerIdle/1024, r.ConnectErrors)
	}
	return nil
}

func msSince(t time.Time) float64 { return float64(time.Since(t)) / 1e6 }

func waitHealthy(base string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(base + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server at %s not healthy after %v: %v", base, within, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ParseScenarios splits a comma-separated list.
func ParseScenarios(s string) []string {
	if s == "" || s == "all" {
		return nil
	}
	return strings.Split(s, ",")
}
