package http

import (
	"runtime"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/detect"
	"github.com/topoforge/topoforge/messages"
)

// healthResponse is the contract's /health body.
type healthResponse struct {
	Status     string            `json:"status"`
	Timestamp  time.Time         `json:"timestamp"`
	Version    string            `json:"version"`
	Components map[string]string `json:"components"`
}

// health checks each component for real: the database by a store read through the users actor
// (which also proves the actor system answers); there is no cache, so it says so; the
// algorithms by a round trip to the detectors manager, which holds the models, and a non-empty
// catalogue.
func (s *Server) health(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	comp := map[string]string{"cache": "not configured", "algorithms": "not configured"}
	status := "healthy"
	rep, err := ask[*messages.Ack](s, s.actors.Users, &messages.Ping{})
	if err != nil || rep.Err != nil {
		comp["database"] = "unhealthy"
		status = "unhealthy"
	} else {
		comp["database"] = "healthy"
	}
	if s.actors.Detectors != nil {
		if _, err := ask[*messages.StatsReply](s, s.actors.Detectors, &messages.Stats{}); err != nil || len(detect.Catalogue()) == 0 {
			comp["algorithms"] = "unhealthy"
			status = "unhealthy"
		} else {
			comp["algorithms"] = "healthy"
		}
	}
	code := fasthttp.StatusOK
	if status != "healthy" {
		code = fasthttp.StatusServiceUnavailable
	}
	s.writeJSON(ctx, code, healthResponse{
		Status: status, Timestamp: s.cfg.Now().UTC(), Version: s.cfg.Version, Components: comp,
	})
}

// statusResponse is the contract's /status body.
type statusResponse struct {
	Status          string  `json:"status"`
	Uptime          int64   `json:"uptime"`
	ActiveDetectors int64   `json:"active_detectors"`
	TotalDetections int64   `json:"total_detections"`
	MemoryUsageMB   float64 `json:"memory_usage_mb"`
	CPUUsagePercent float64 `json:"cpu_usage_percent"`
	Goroutines      int     `json:"goroutines"`
	Users           int64   `json:"users"`
}

func (s *Server) status(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out := statusResponse{
		Status:          "operational",
		Uptime:          int64(s.cfg.Now().Sub(s.started) / time.Second),
		MemoryUsageMB:   float64(ms.Sys) / (1 << 20),
		CPUUsagePercent: s.cpu.percent(s.started),
		Goroutines:      runtime.NumGoroutine(),
	}
	if rep, err := ask[*messages.StatsReply](s, s.actors.Users, &messages.Stats{}); err == nil {
		out.Users = rep.Counters["users"]
	} else {
		out.Status = "degraded"
	}
	if s.actors.Detectors != nil {
		if rep, err := ask[*messages.StatsReply](s, s.actors.Detectors, &messages.Stats{}); err == nil {
			out.ActiveDetectors = rep.Counters["active_detectors"]
			out.TotalDetections = rep.Counters["total_detections"]
		} else {
			out.Status = "degraded"
		}
	}
	s.writeJSON(ctx, fasthttp.StatusOK, out)
}
