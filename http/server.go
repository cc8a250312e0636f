package http

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/eventstream"
	"github.com/fasthttp/router"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fastjson"

	"github.com/topoforge/topoforge/auth"
)

// Config configures the server. Zero values take the defaults given; every limit is here.
type Config struct {
	// Version is reported by /health.
	Version string
	// MaxBodyBytes bounds a request body. Default 1 MiB; larger bodies get 413.
	MaxBodyBytes int
	// MaxUploadBytes bounds the body of dataset creation (POST /api/v1/datasets and
	// /api/v1/datasets/upload). Default 100 MiB.
	MaxUploadBytes int
	// MaxDatasetRows bounds a dataset's rows. Default 0: the dataset package's default.
	MaxDatasetRows int
	// MaxDatasetColumns bounds a dataset's columns. Default 0: the dataset package's default.
	MaxDatasetColumns int
	// ReadTimeout bounds reading one request, headers and body. Default 30 s.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing one response. Default 30 s.
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long. Default 2 minutes.
	IdleTimeout time.Duration
	// MaxConns bounds concurrent connections (fasthttp's Concurrency). Default 10000.
	MaxConns int
	// MaxConnsPerIP bounds concurrent connections from one IP. Default 0: unlimited.
	MaxConnsPerIP int
	// AskTimeout bounds one actor round trip. Default 10 s; a timeout answers 504.
	AskTimeout time.Duration
	// TrainTimeout bounds a training request, dataset loading included. Default 10 minutes.
	TrainTimeout time.Duration
	// BatchWait is how long a batch request waits for its job before answering 202 with the
	// batch ID. Default 5 s.
	BatchWait time.Duration
	// MaxFrameBytes bounds one /ws/stream frame; larger frames get an error frame and the
	// session goes on. Default 16 KiB. (WS.ReadLimit is the hard limit that closes a session.)
	MaxFrameBytes int
	// WS bounds WebSocket sessions.
	WS WSConfig
	// RateLimits are the per-role hourly request limits.
	RateLimits RateLimits
	// BcryptCost is the password hashing cost. Default 10 (bcrypt.DefaultCost).
	BcryptCost int
	// Logger receives errors (with request IDs) and, at debug level, one line per request.
	Logger *slog.Logger
	// Now returns the current time. Default time.Now.
	Now func() time.Time
}

func (c *Config) fill() {
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.MaxUploadBytes <= 0 {
		c.MaxUploadBytes = 100 << 20
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = 30 * time.Second
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 2 * time.Minute
	}
	if c.MaxConns <= 0 {
		c.MaxConns = 10000
	}
	if c.AskTimeout <= 0 {
		c.AskTimeout = 10 * time.Second
	}
	if c.TrainTimeout <= 0 {
		c.TrainTimeout = 10 * time.Minute
	}
	if c.BatchWait <= 0 {
		c.BatchWait = 5 * time.Second
	}
	if c.MaxFrameBytes <= 0 {
		c.MaxFrameBytes = 16 << 10
	}
	c.WS.fill()
	c.RateLimits.fill()
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Actors are the actor-system handles the server talks to.
type Actors struct {
	// Root is the context requests are sent from.
	Root *actor.RootContext
	// Users owns accounts and API keys.
	Users *actor.PID
	// Detectors is the detectors manager; nil leaves the detector routes answering 503.
	Detectors *actor.PID
	// Datasets is the datasets manager.
	Datasets *actor.PID
	// Ensembles is the ensembles manager.
	Ensembles *actor.PID
	// Experiments is the experiments manager.
	Experiments *actor.PID
	// Streams is the streams manager (/ws/stream, /api/anomalies).
	Streams *actor.PID
	// TDA is the topology worker pool (/api/v1/tda/persistence).
	TDA *actor.PID
	// Events is the actor system's event stream, relayed to /ws/detections.
	Events *eventstream.EventStream
}

// Server is TopoForge's HTTP server.
type Server struct {
	cfg      Config
	log      *slog.Logger
	actors   Actors
	issuer   *auth.Issuer
	srv      *fasthttp.Server
	router   *router.Router
	routes   []route
	limiters limiterSet
	tokens   tokenCache
	metrics  *metrics
	started  time.Time
	cpu      cpuSampler

	parsers        fastjson.ParserPool // for detect request envelopes
	timers         sync.Pool           // *time.Timer for detect waits
	wsClients      atomic.Int64
	wsWriteBuffers sync.Pool

	conns connTracker // keep-alive connections, so Close can end those between requests

	mu       sync.Mutex
	ln       net.Listener
	closed   bool
	sessions map[*wsSession]struct{}
}

// New builds a server; Serve starts it.
func New(cfg Config, a Actors, issuer *auth.Issuer) (*Server, error) {
	cfg.fill()
	if a.Root == nil || a.Users == nil {
		return nil, errors.New("http: missing actor handles")
	}
	if issuer == nil {
		return nil, errors.New("http: nil token issuer")
	}
	s := &Server{
		cfg: cfg, log: cfg.Logger, actors: a, issuer: issuer,
		router: router.New(), metrics: newMetrics(), started: cfg.Now(),
	}
	s.routes = s.routeTable()
	for i := range s.routes {
		r := &s.routes[i]
		s.router.Handle(r.method, r.path, s.wrap(r))
	}
	s.router.NotFound = s.wrap(&route{path: "unmatched", access: public, h: s.notFound})
	s.router.MethodNotAllowed = s.wrap(&route{path: "unmatched", access: public, h: s.methodNotAllowed})
	s.router.HandleOPTIONS = false
	s.srv = &fasthttp.Server{
		Handler:                       func(ctx *fasthttp.RequestCtx) { s.conns.serve(ctx, s.router.Handler) },
		ConnState:                     s.conns.state,
		ErrorHandler:                  s.fastHTTPError,
		Name:                          "topoforge",
		MaxRequestBodySize:            cfg.MaxBodyBytes,
		ReadTimeout:                   cfg.ReadTimeout,
		WriteTimeout:                  cfg.WriteTimeout,
		IdleTimeout:                   cfg.IdleTimeout,
		Concurrency:                   cfg.MaxConns,
		MaxConnsPerIP:                 cfg.MaxConnsPerIP,
		DisableHeaderNamesNormalizing: false,
		NoDefaultContentType:          true,
		CloseOnShutdown:               true,
		Logger:                        fasthttpLogger{cfg.Logger},
		HeaderReceived:                s.bodyLimit,
	}
	return s, nil
}

// Serve accepts connections on ln until Close; it returns nil after Close.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.ln = ln
	s.mu.Unlock()
	err := s.srv.Serve(ln)
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if err != nil && !closed {
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	}
	return nil
}

// Close stops accepting connections, closes keep-alive connections between requests and waits
// (up to the write timeout) for the requests being handled to finish. It also closes the
// listener, so a Serve that had not yet started returns at once.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	ln := s.ln
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.WriteTimeout+time.Second)
	defer cancel()
	srvDone := make(chan struct{})
	var err error
	go func() {
		defer close(srvDone)
		err = s.srv.ShutdownWithContext(ctx)
	}()
	s.conns.drain(srvDone, s.cfg.WriteTimeout)
	<-srvDone
	s.closeSessions()
	if ln != nil {
		_ = ln.Close() // already closed by Shutdown in the common case
	}
	if err != nil {
		return fmt.Errorf("shutdown http: %w", err)
	}
	return nil
}

// Routes returns the method and path of every registered route with whether it is public,
// for tests and the OpenAPI coverage check.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, len(s.routes))
	for i, r := range s.routes {
		out[i] = RouteInfo{Method: r.method, Path: r.path, Access: r.access.String()}
	}
	return out
}

// RouteInfo describes one registered route. Access is "public", "authenticated" (any role),
// "write" (user or admin) or "admin".
type RouteInfo struct {
	Method string
	Path   string
	Access string
}

// Metrics returns the Prometheus registry the server records into.
func (s *Server) Metrics() *prometheus.Registry { return s.metrics.reg }

// fasthttpLogger sends fasthttp's own messages (connection errors already answered by
// ErrorHandler) to slog at debug level.
type fasthttpLogger struct{ l *slog.Logger }

// Printf implements fasthttp.Logger.
func (f fasthttpLogger) Printf(format string, args ...any) {
	f.l.Debug(fmt.Sprintf(format, args...), "component", "fasthttp")
}

// uploadPaths are the routes whose bodies may be up to MaxUploadBytes.
var uploadPaths = [...]string{"/api/v1/datasets", "/api/v1/datasets/upload"}

// bodyLimit raises the body limit for dataset uploads; every other request keeps MaxBodyBytes.
func (s *Server) bodyLimit(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	path := h.RequestURI()
	if i := bytes.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	for _, p := range uploadPaths {
		if string(path) == p {
			return fasthttp.RequestConfig{MaxRequestBodySize: s.cfg.MaxUploadBytes}
		}
	}
	return fasthttp.RequestConfig{}
}
